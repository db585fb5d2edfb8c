<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name />
    <message>
      <location filename="../../app/canvas/scene.py" line="170" />
      <source>Output: {shape}</source>
      <translation>输出：{shape}</translation>
    </message>
    <message>
      <location filename="../../app/canvas/scene.py" line="173" />
      <source>Parameters: {total:,} ({trainable:,} trainable)</source>
      <translation>参数量：{total:,}（可训练 {trainable:,}）</translation>
    </message>
    <message>
      <location filename="../../app/canvas/scene.py" line="179" />
      <source>Fix: {fix}</source>
      <translation>修复：{fix}</translation>
    </message>
    <message>
      <location filename="../../app/canvas/scene.py" line="287" />
      <source>Cannot connect: {reason}</source>
      <translation>无法连接：{reason}</translation>
    </message>
  </context>
  <context>
    <name>Actions</name>
    <message>
      <location filename="../../app/actions.py" line="33" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../app/actions.py" line="34" />
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../app/actions.py" line="35" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../app/actions.py" line="36" />
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;New</source>
      <translation>新建(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Open…</source>
      <translation>打开(&amp;O)…</translation>
    </message>
    <message>
      <source>Open &amp;Recent</source>
      <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
      <source>E&amp;xamples</source>
      <translation>示例(&amp;X)</translation>
    </message>
    <message>
      <source>&amp;Save</source>
      <translation>保存(&amp;S)</translation>
    </message>
    <message>
      <source>Save &amp;As…</source>
      <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
      <source>&amp;Export Code…</source>
      <translation>导出代码(&amp;E)…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>Cu&amp;t</source>
      <translation>剪切(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;Copy</source>
      <translation>复制(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Paste</source>
      <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
      <source>Dupl&amp;icate</source>
      <translation>创建副本(&amp;I)</translation>
    </message>
    <message>
      <source>&amp;Delete</source>
      <translation>删除(&amp;D)</translation>
    </message>
    <message>
      <source>Select &amp;All</source>
      <translation>全选(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Fit to View</source>
      <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
      <source>Zoom &amp;In</source>
      <translation>放大(&amp;I)</translation>
    </message>
    <message>
      <source>Zoom &amp;Out</source>
      <translation>缩小(&amp;O)</translation>
    </message>
    <message>
      <source>&amp;Auto-layout</source>
      <translation>自动排列(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Snap to Grid</source>
      <translation>对齐网格(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Quick Add Layer…</source>
      <translation>快速添加层(&amp;Q)…</translation>
    </message>
    <message>
      <source>&amp;Theme</source>
      <translation>主题(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Panels</source>
      <translation>面板(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;About LayerLab</source>
      <translation>关于 LayerLab(&amp;A)</translation>
    </message>
      <message>
        <source>Expor&amp;t As</source>
        <translation>导出为(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Import Model…</source>
        <translation>导入模型(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Layer Reference…</source>
        <translation>层参考(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts…</source>
        <translation>键盘快捷键(&amp;K)…</translation>
    </message>
    <message>
      <source>&amp;Group into Block</source>
      <translation>组成块(&amp;G)</translation>
    </message>
    <message>
      <source>U&amp;ngroup</source>
      <translation>取消分组(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
</context>
  <context>
    <name>CodeDock</name>
    <message>
      <location filename="../../app/docks/code.py" line="136" />
      <source>Code</source>
      <translation>代码</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="160" />
      <source>PyTorch</source>
      <translation>PyTorch</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="161" />
      <source>TensorFlow / Keras</source>
      <translation>TensorFlow / Keras</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="168" />
      <source>Export PyTorch…</source>
      <translation>导出 PyTorch…</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="169" />
      <source>Export Keras…</source>
      <translation>导出 Keras…</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="171" />
      <source>Copy</source>
      <translation>复制</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="172" />
      <source>Copy the code of the current tab</source>
      <translation>复制当前标签页的代码</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="231" />
      <source># Code generation failed: %1</source>
      <translation># 代码生成失败：%1</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="238" />
      <source># The code generator is not available yet.
# The generated script will appear here.</source>
      <translation># 代码生成器暂不可用。
# 生成的脚本将显示在这里。</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="269" />
      <source>Copied.</source>
      <translation>已复制。</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="282" />
      <source>Export PyTorch script</source>
      <translation>导出 PyTorch 脚本</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="282" />
      <source>Export Keras script</source>
      <translation>导出 Keras 脚本</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="283" />
      <source>Python files (*.py)</source>
      <translation>Python 文件 (*.py)</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="290" />
      <source>Export failed: %1</source>
      <translation>导出失败：%1</translation>
    </message>
    <message>
      <location filename="../../app/docks/code.py" line="294" />
      <source>Saved %1</source>
      <translation>已保存 %1</translation>
    </message>
      <message>
        <source>Export short script</source>
        <translation>导出精简脚本</translation>
    </message>
    <message>
        <source>Export model only</source>
        <translation>仅导出模型</translation>
    </message>
    <message>
        <source>Jupyter notebooks (*.ipynb)</source>
        <translation>Jupyter 笔记本 (*.ipynb)</translation>
    </message>
    <message>
        <source>Export notebook</source>
        <translation>导出笔记本</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <source>Export ONNX</source>
        <translation>导出 ONNX</translation>
    </message>
    <message>
        <source>Exporting %1 to ONNX…</source>
        <translation>正在把 %1 导出为 ONNX…</translation>
    </message>
    <message>
        <source>Saved %1 (onnxruntime agrees with PyTorch within %2)</source>
        <translation>已保存 %1（onnxruntime 与 PyTorch 的差异在 %2 以内）</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>并排显示</translation>
    </message>
    <message>
        <source>Show the PyTorch and Keras code next to each other</source>
        <translation>把 PyTorch 和 Keras 代码并排显示</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>fix: %1</source>
        <translation>修复：%1</translation>
    </message>
</context>
  <context>
    <name>GraphScene</name>
    <message>
      <source>Output: {shape}</source>
      <translation>输出：{shape}</translation>
    </message>
    <message>
      <source>Parameters: {total:,} ({trainable:,} trainable)</source>
      <translation>参数量：{total:,}（可训练 {trainable:,}）</translation>
    </message>
    <message>
      <source>Fix: {fix}</source>
      <translation>修复：{fix}</translation>
    </message>
    <message>
      <source>Cannot connect: {reason}</source>
      <translation>无法连接：{reason}</translation>
    </message>
      <message>
      <source>both ports are outputs; drop on an input port (left side of a layer)</source>
      <translation>两个端口都是输出；请拖到输入端口（层的左侧）</translation>
    </message>
      <message>
      <source>both ports are inputs; drop on an output port (right side of a layer)</source>
      <translation>两个端口都是输入；请拖到输出端口（层的右侧）</translation>
    </message>
      <message>
        <source>Fixed: {fix}</source>
        <translation>已修复：{fix}</translation>
    </message>
    <message>
      <source>Layers ({n}): {names}</source>
      <translation>层（{n}）：{names}</translation>
    </message>
    <message>
      <source>Double-click to expand</source>
      <translation>双击展开</translation>
    </message>
    <message>
      <source>Click ▾ to collapse</source>
      <translation>点击 ▾ 折叠</translation>
    </message>
    <message>
        <source>{layer} for test sample {sample}, epoch {epoch}</source>
        <translation>{layer}：测试样本 {sample}，第 {epoch} 轮</translation>
    </message>
</context>
  <context>
    <name>HistoryDock</name>
    <message>
      <location filename="../../app/docks/history.py" line="12" />
      <source>History</source>
      <translation>历史记录</translation>
    </message>
    <message>
      <location filename="../../app/docks/history.py" line="16" />
      <source>&lt;original&gt;</source>
      <translation>&lt;初始状态&gt;</translation>
    </message>
  </context>
  <context>
    <name>InspectorDock</name>
    <message>
      <location filename="../../app/docks/inspector.py" line="313" />
      <source>Inspector</source>
      <translation>属性</translation>
    </message>
    <message numerus="yes">
      <location filename="../../app/docks/inspector.py" line="347" />
      <source>%n layers selected</source>
      <translation>
        <numerusform>已选中 %n 个层</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="362" />
      <source>Choose the image folder</source>
      <translation>选择图像文件夹</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="364" />
      <source>Choose the data file</source>
      <translation>选择数据文件</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="365" />
      <source>Data files (*.csv *.npz *.txt);;All files (*)</source>
      <translation>数据文件 (*.csv *.npz *.txt);;所有文件 (*)</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../app/main_window.py" line="620" />
      <source>&amp;Reset Layout</source>
      <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="622" />
      <source>Put every panel back where it is at the first start</source>
      <translation>把所有面板放回首次启动时的位置</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="123" />
      <source>Untitled</source>
      <translation>未命名</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="140" />
      <source>Parameters: {n}</source>
      <translation>参数量：{n}</translation>
    </message>
    <message numerus="yes">
      <location filename="../../app/main_window.py" line="143" />
      <source>%n error(s)</source>
      <translation>
        <numerusform>%n 个错误</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="146" />
      <source>✓ valid</source>
      <translation>✓ 有效</translation>
    </message>
    <message numerus="yes">
      <location filename="../../app/main_window.py" line="152" />
      <source>%n layer(s) selected</source>
      <translation>
        <numerusform>已选中 %n 个层</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../app/main_window.py" line="154" />
      <source>%n layer(s)</source>
      <translation>
        <numerusform>%n 个层</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="187" />
      <source>Cannot open file</source>
      <translation>无法打开文件</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="200" />
      <source>Cannot open example</source>
      <translation>无法打开示例</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="231" />
      <source>Cannot save file</source>
      <translation>无法保存文件</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="234" />
      <source>Saved {path}</source>
      <translation>已保存 {path}</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="243" />
      <source>Code export is not available</source>
      <translation>代码导出暂不可用</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="259" />
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="262" />
      <source>Clear List</source>
      <translation>清空列表</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="321" />
      <source>The clipboard holds no LayerLab layers</source>
      <translation>剪贴板中没有 LayerLab 的层</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="365" />
      <location filename="../../app/main_window.py" line="378" />
      <source>Follow System</source>
      <translation>跟随系统</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="365" />
      <source>Light</source>
      <translation>浅色</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="365" />
      <source>Dark</source>
      <translation>深色</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="388" />
      <source>The language changes at the next start</source>
      <translation>语言将在下次启动时切换</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="396" />
      <source>About LayerLab</source>
      <translation>关于 LayerLab</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="397" />
      <source>&lt;b&gt;LayerLab&lt;/b&gt;&lt;br&gt;Draw deep-learning models as graphs and get equivalent PyTorch and Keras code.</source>
      <translation>&lt;b&gt;LayerLab&lt;/b&gt;&lt;br&gt;以图的方式绘制深度学习模型，并生成等价的 PyTorch 与 Keras 代码。</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="403" />
      <source>Unsaved changes</source>
      <translation>未保存的更改</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="404" />
      <source>{name} has unsaved changes. Save them first?</source>
      <translation>{name} 有未保存的更改。先保存吗？</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="412" />
      <source>Open Project</source>
      <translation>打开项目</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="413" />
      <source>LayerLab projects (*.json);;All files (*)</source>
      <translation>LayerLab 项目 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="417" />
      <source>Save Project</source>
      <translation>保存项目</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="418" />
      <source>LayerLab projects (*.json)</source>
      <translation>LayerLab 项目 (*.json)</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="428" />
      <source>Restore unsaved work?</source>
      <translation>恢复未保存的工作？</translation>
    </message>
    <message>
      <location filename="../../app/main_window.py" line="429" />
      <source>LayerLab did not close properly last time. Restore the unsaved work from the recovery file?</source>
      <translation>LayerLab 上次没有正常关闭。要从恢复文件中找回未保存的工作吗？</translation>
    </message>
      <message>
        <source>Short Script…</source>
        <translation>精简脚本…</translation>
    </message>
    <message>
        <source>Model Only…</source>
        <translation>仅模型…</translation>
    </message>
    <message>
        <source>Jupyter Notebook…</source>
        <translation>Jupyter 笔记本…</translation>
    </message>
    <message>
        <source>ONNX (PyTorch model)…</source>
        <translation>ONNX（PyTorch 模型）…</translation>
    </message>
    <message>
        <source>Diagram (PNG)…</source>
        <translation>图表（PNG）…</translation>
    </message>
    <message>
        <source>Diagram (SVG)…</source>
        <translation>图表（SVG）…</translation>
    </message>
    <message>
        <source>Export Diagram</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Cannot export the diagram</source>
        <translation>无法导出图表</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>正在导入 {name}…</translation>
    </message>
    <message>
        <source>Cannot import the model</source>
        <translation>无法导入模型</translation>
    </message>
    <message>
        <source>Imported {layers} layers</source>
        <translation>已导入 {layers} 层</translation>
    </message>
    <message>
        <source>, with their weights (training starts from them)</source>
        <translation>，并带有权重（训练将从这些权重开始）</translation>
    </message>
    <message>
      <source>No selected layer is in a block</source>
      <translation>所选的层都不在块中</translation>
    </message>
</context>
  <context>
    <name>NodeItem</name>
    <message>
      <location filename="../../app/canvas/node_item.py" line="47" />
      <source>{n} params</source>
      <translation>{n} 个参数</translation>
    </message>
      <message>
        <source>in</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>out</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>a</source>
        <translation>a</translation>
    </message>
    <message>
        <source>b</source>
        <translation>b</translation>
    </message>
    <message>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>state</source>
        <translation>状态</translation>
    </message>
</context>
  <context>
    <name>NodePanel</name>
    <message>
      <location filename="../../app/docks/inspector.py" line="99" />
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="101" />
      <source>Output</source>
      <translation>输出</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="102" />
      <source>Parameters</source>
      <translation>参数量</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="136" />
      <source>Hyperparameters</source>
      <translation>超参数</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="140" />
      <source>This layer has no settings.</source>
      <translation>该层没有可设置的参数。</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="190" />
      <source>loss on %1</source>
      <translation>对 %1 计算损失</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="197" />
      <source>%1 (%2 trainable)</source>
      <translation>%1（可训练 %2）</translation>
    </message>
      <message>
        <source>Same</source>
        <translation>保持尺寸</translation>
    </message>
    <message>
        <source>Same padding</source>
        <translation>保持尺寸的填充</translation>
    </message>
    <message>
        <source>Set the padding that keeps the size: the output is as large as the input (divided by the stride, rounded up), for the current kernel, stride and dilation.</source>
        <translation>按当前的卷积核、步长和空洞设置填充，使尺寸保持不变：输出与输入一样大（除以步长后向上取整）。</translation>
    </message>
    <message>
        <source>Each side is padded separately, like TensorFlow's padding="same": when the total is odd, the extra row or column goes at the bottom or right. One undoable edit.</source>
        <translation>每一侧分别填充，与 TensorFlow 的 padding="same" 相同：总数为奇数时，多出的一行或一列补在下边或右边。这是一次可撤销的修改。</translation>
    </message>
    <message>
        <source>Explain this layer (Layer Reference)</source>
        <translation>解释这一层（层参考）</translation>
    </message>
</context>
  <context>
    <name>PaletteDock</name>
    <message>
      <location filename="../../app/docks/palette.py" line="79" />
      <source>Layers</source>
      <translation>层</translation>
    </message>
    <message>
      <location filename="../../app/docks/palette.py" line="83" />
      <source>Search layers (English or 中文)…</source>
      <translation>搜索层（中文或英文）…</translation>
    </message>
    <message>
      <source>Blocks</source>
      <translation>块</translation>
    </message>
    <message>
      <source>Groups of layers to insert as one: bundled, this project's and your library's</source>
      <translation>作为一个整体插入的一组层：内置的、本项目的和你的库中的</translation>
    </message>
    <message>
      <source>bundled with LayerLab</source>
      <translation>LayerLab 内置</translation>
    </message>
    <message>
      <source>used in this project</source>
      <translation>本项目中使用</translation>
    </message>
    <message>
      <source>from your block library</source>
      <translation>来自你的块库</translation>
    </message>
      <message>
        <source>Show in Layer Reference</source>
        <translation>在层参考中显示</translation>
    </message>
</context>
  <context>
    <name>ParamEditor</name>
    <message>
      <location filename="../../app/docks/editors.py" line="68" />
      <source>Range: {low} … {high}</source>
      <translation>取值范围：{low} … {high}</translation>
    </message>
    <message>
      <location filename="../../app/docks/editors.py" line="169" />
      <source>“{text}” is not a number</source>
      <translation>“{text}”不是数字</translation>
    </message>
    <message>
      <location filename="../../app/docks/editors.py" line="256" />
      <source>Enter whole numbers separated by commas, e.g. 1, -1</source>
      <translation>请输入用逗号分隔的整数，例如 1, -1</translation>
    </message>
    <message>
      <location filename="../../app/docks/editors.py" line="259" />
      <source>Enter at least one number</source>
      <translation>请至少输入一个数</translation>
    </message>
      <message>
        <source>“{text}” is not a whole number</source>
        <translation>“{text}”不是整数</translation>
    </message>
    <message>
        <source>Enter a whole number</source>
        <translation>请输入一个整数</translation>
    </message>
</context>
  <context>
    <name>ProblemsDock</name>
    <message>
      <location filename="../../app/docks/problems.py" line="18" />
      <location filename="../../app/docks/problems.py" line="53" />
      <source>Problems</source>
      <translation>问题</translation>
    </message>
    <message>
      <location filename="../../app/docks/problems.py" line="25" />
      <source>Layer</source>
      <translation>层</translation>
    </message>
    <message>
      <location filename="../../app/docks/problems.py" line="25" />
      <source>Problem</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <location filename="../../app/docks/problems.py" line="25" />
      <source>Suggested fix</source>
      <translation>建议修复</translation>
    </message>
    <message>
      <location filename="../../app/docks/problems.py" line="33" />
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../app/docks/problems.py" line="33" />
      <source>Warning</source>
      <translation>警告</translation>
    </message>
    <message>
      <location filename="../../app/docks/problems.py" line="33" />
      <source>Note</source>
      <translation>提示</translation>
    </message>
    <message>
      <location filename="../../app/docks/problems.py" line="44" />
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <location filename="../../app/docks/problems.py" line="53" />
      <source>Problems (%1)</source>
      <translation>问题（%1）</translation>
    </message>
    <message numerus="yes">
      <location filename="../../app/docks/problems.py" line="55" />
      <source>%n error(s)</source>
      <translation>
        <numerusform>%n 个错误</numerusform>
      </translation>
    </message>
      <message>
        <source>fix: %1</source>
        <translation>修复：%1</translation>
    </message>
    <message>
        <source>Fix</source>
        <translation>修复</translation>
    </message>
    <message>
        <source>Apply this fix (one undo step): %1</source>
        <translation>应用此修复（一步撤销）：%1</translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation>修复：%1</translation>
    </message>
    <message>
        <source>Select Layer</source>
        <translation>选择层</translation>
    </message>
</context>
  <context>
    <name>QuickAddPopup</name>
    <message>
      <location filename="../../app/quick_add.py" line="25" />
      <source>Add layer: type a name…</source>
      <translation>添加层：输入名称…</translation>
    </message>
  </context>
  <context>
    <name>SetupPanel</name>
    <message>
      <location filename="../../app/docks/inspector.py" line="239" />
      <source>Training setup</source>
      <translation>训练设置</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="240" />
      <source>Select a layer to edit it; with nothing selected, this is the training setup.</source>
      <translation>选中一个层即可编辑它；未选中任何层时，这里显示训练设置。</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="243" />
      <source>Data</source>
      <translation>数据</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="243" />
      <source>Optimiser</source>
      <translation>优化器</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="243" />
      <source>Training</source>
      <translation>训练</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="257" />
      <source>Choose a file or folder</source>
      <translation>选择文件或文件夹</translation>
    </message>
    <message>
      <location filename="../../app/docks/inspector.py" line="303" />
      <source>Sample shape %1, %2 samples</source>
      <translation>样本形状 %1，共 %2 个样本</translation>
    </message>
      <message>
      <source>fitted to the Input</source>
      <translation>按输入层调整</translation>
    </message>
      <message>
      <source>Targets: %1</source>
      <translation>目标：%1</translation>
    </message>
      <message>
      <source>%1 classes</source>
      <translation>%1 个类别</translation>
    </message>
      <message>
      <source>0/1 values</source>
      <translation>0/1 值</translation>
    </message>
      <message>
      <source>real values</source>
      <translation>实数值</translation>
    </message>
      <message>
      <source>of shape %1</source>
      <translation>，形状 %1</translation>
    </message>
      <message>
      <source>whole numbers 0…%1 (class ids or values)</source>
      <translation>整数 0…%1（类别编号或数值）</translation>
    </message>
  </context>
  <context>
    <name>TrainingDock</name>
    <message>
      <location filename="../../app/training/panel.py" line="47" />
      <source>Training</source>
      <translation>训练</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="73" />
      <source>Look for GPUs again</source>
      <translation>重新检测 GPU</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="74" />
      <source>Train</source>
      <translation>训练</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="75" />
      <location filename="../../app/training/panel.py" line="300" />
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="76" />
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="77" />
      <source> epochs</source>
      <translation> 轮</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="78" />
      <source>Continue</source>
      <translation>继续训练</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="79" />
      <source>Resume the selected (or last) run from its checkpoint</source>
      <translation>从检查点继续所选（或最近一次）运行</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="81" />
      <source>Framework</source>
      <translation>框架</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="81" />
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="82" />
      <source>Processes</source>
      <translation>进程数</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="83" />
      <source>Train with this many processes on this machine, each on its share of every batch: torchrun for PyTorch, tf.distribute workers for Keras (one per GPU on GPUs). The first process reports progress; Stop ends them all.</source>
      <translation>在本机用这么多个进程训练，每个进程处理每个批次的一部分：PyTorch 用 torchrun，Keras 用 tf.distribute 的工作进程（使用 GPU 时每块 GPU 一个）。由第一个进程报告进度；“停止”会结束所有进程。</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="83" />
      <source>Precision</source>
      <translation>精度</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="83" />
      <source>The number format of training: fp32, or mixed precision (the weights stay fp32). bf16 is for NVIDIA GPUs from Ampere on (RTX 30, A100 and later); fp16 adds loss scaling. On a CPU half precision is usually slower.</source>
      <translation>训练用的数值格式：fp32，或混合精度（权重仍为 fp32）。bf16 适用于英伟达安培架构起的 GPU（RTX 30 系列、A100 及更新型号）；fp16 会加上损失缩放。在 CPU 上，半精度通常反而更慢。</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="83" />
      <source>Compile</source>
      <translation>编译</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="83" />
      <source>Compile the model: torch.compile for PyTorch, XLA for Keras. A slow start (the first steps compile), then faster steps on a GPU. Unchecked, Keras uses XLA on GPUs only.</source>
      <translation>编译模型：PyTorch 用其模型编译功能，Keras 用加速线性代数编译器。启动较慢（最初几步在编译），之后在 GPU 上每步更快。不勾选时，Keras 只在 GPU 上编译。</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="87" />
      <source>Ready.</source>
      <translation>就绪。</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="96" />
      <source>Export plots as PNG…</source>
      <translation>将图表导出为 PNG…</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="97" />
      <source>Export curves as CSV…</source>
      <translation>将曲线导出为 CSV…</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="101" />
      <source>Curves</source>
      <translation>曲线</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="102" />
      <source>Data</source>
      <translation>数据</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="104" />
      <source>Results</source>
      <translation>结果</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="105" />
      <source>Boundary</source>
      <translation>决策边界</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="106" />
      <source>Runs</source>
      <translation>运行记录</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="107" />
      <source>Log</source>
      <translation>日志</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="125" />
      <source>Setup</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="131" />
      <source>Check runs to overlay their curves on the plots.</source>
      <translation>勾选运行记录，可在图中叠加显示它们的曲线。</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="176" />
      <source>There is no run with a checkpoint to continue.</source>
      <translation>没有带检查点、可以继续的运行。</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="187" />
      <source>Train the model first.</source>
      <translation>请先训练模型。</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="212" />
      <source>Choose the image folder</source>
      <translation>选择图像文件夹</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="214" />
      <source>Choose the data file</source>
      <translation>选择数据文件</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="226" />
      <source>Starting %1…</source>
      <translation>正在启动 %1…</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="300" />
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="368" />
      <source>Export plots</source>
      <translation>导出图表</translation>
    </message>
    <message>
      <location filename="../../app/training/panel.py" line="374" />
      <source>Export curves</source>
      <translation>导出曲线</translation>
    </message>
      <message>
      <source>The project is not saved, so this run's files are in a temporary folder ({0}); save the project to keep its runs beside it.</source>
      <translation>项目尚未保存，因此本次运行的文件在临时文件夹中（{0}）；保存项目即可把运行记录保存在项目旁边。</translation>
    </message>
    <message>
      <source>Samples</source>
      <translation>生成样本</translation>
    </message>
    <message>
      <source>D loss %1 · G loss %2</source>
      <translation>判别器损失 %1 · 生成器损失 %2</translation>
    </message>
      <message>
        <source>starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>running</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>pausing</source>
        <translation>正在暂停</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>正在停止</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>generated text from the trained model</source>
        <translation>已用训练好的模型生成文本</translation>
    </message>
    <message>
        <source>stopped: the worker was killed before it saved its results</source>
        <translation>已停止：训练进程在保存结果之前被强制结束</translation>
    </message>
    <message>
        <source>stopped: the worker was ended before it saved its results</source>
        <translation>已停止：训练进程在保存结果之前已结束</translation>
    </message>
    <message>
        <source>stopped: replaced by a newer run</source>
        <translation>已停止：被更新的一次训练取代</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>已提前停止</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <source>test loss</source>
        <translation>测试损失</translation>
    </message>
    <message>
        <source>: </source>
        <translation>：</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>epoch %1/%2</source>
        <translation>第 %1/%2 轮</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>loss %1</source>
        <translation>损失 %1</translation>
    </message>
    <message>
        <source>%1 samples/s</source>
        <translation>%1 样本/秒</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>test acc %1</source>
        <translation>测试准确率 %1</translation>
    </message>
    <message>
        <source>TensorBoard logs</source>
        <translation>TensorBoard 日志</translation>
    </message>
    <message>
        <source>Also write TensorBoard logs into the run folder (needs the tensorboard package)</source>
        <translation>同时把 TensorBoard 日志写入训练文件夹（需要 tensorboard 包）</translation>
    </message>
    <message>
        <source>TensorBoard logs: {0}</source>
        <translation>TensorBoard 日志：{0}</translation>
    </message>
    <message>
        <source>TensorBoard logs go to {0} (tensorboard --logdir {0})</source>
        <translation>TensorBoard 日志写入 {0}（tensorboard --logdir {0}）</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Show inside the network while it trains: every layer's output for a sample, gradients (Inside tab)</source>
        <translation>训练时查看网络内部：每一层对一个样本的输出、梯度（“网络内部”页）</translation>
    </message>
    <message>
        <source>Inside</source>
        <translation>网络内部</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>游乐场</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>画图</translation>
    </message>
</context>
  <context>
    <name>IntsRowEditor</name>
    <message>
      <source>square</source>
      <translation>正方形</translation>
    </message>
      <message>
      <source>Keep both values equal (a square kernel or window)</source>
      <translation>保持两个值相等（正方形的卷积核或窗口）</translation>
    </message>
  </context>
  <context>
    <name>GraphView</name>
    <message>
      <source>Drag a layer here from the palette (start with an Input), double-click one there,
or press Tab for a quick search. File ▸ Examples opens a ready model.</source>
      <translation>从左侧图层面板把图层拖到这里（先放一个输入层），或在面板中双击图层，
也可以按 Tab 快速搜索。“文件 ▸ 示例”可以打开现成的模型。</translation>
    </message>
      <message>
        <source>The clipboard holds no LayerLab layers</source>
        <translation>剪贴板中没有 LayerLab 层</translation>
    </message>
</context>
  <context>
    <name>LivePlots</name>
    <message>
      <source>discriminator</source>
      <translation>判别器</translation>
    </message>
    <message>
      <source>generator</source>
      <translation>生成器</translation>
    </message>
      <message>
        <source>Training loss per batch</source>
        <translation>每批训练损失</translation>
    </message>
    <message>
        <source>Loss per epoch</source>
        <translation>每轮损失</translation>
    </message>
    <message>
        <source>Accuracy per epoch</source>
        <translation>每轮准确率</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>samples/s</source>
        <translation>样本/秒</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>原始值</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
</context>
  <context>
    <name>SamplesView</name>
    <message>
      <source>A GAN&apos;s generated samples appear here after each epoch while it trains.</source>
      <translation>训练 GAN 时，每轮结束后会在这里显示生成的样本。</translation>
    </message>
    <message>
      <source>Generated samples</source>
      <translation>生成样本</translation>
    </message>
    <message>
      <source>Generated samples after epoch %1</source>
      <translation>第 %1 轮后的生成样本</translation>
    </message>
    <message>
      <source>real</source>
      <translation>真实</translation>
    </message>
    <message>
      <source>generated</source>
      <translation>生成</translation>
    </message>
  </context>
  <context>
    <name>ResultsView</name>
    <message>
      <source>discriminator loss</source>
      <translation>判别器损失</translation>
    </message>
    <message>
      <source>generator loss</source>
      <translation>生成器损失</translation>
    </message>
      <message>
        <source>Confusion matrix (rows: true class, columns: predicted)</source>
        <translation>混淆矩阵（行：真实类别，列：预测类别）</translation>
    </message>
    <message>
        <source>Misclassified test samples (true → predicted)</source>
        <translation>分错的测试样本（真实 → 预测）</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Characters</source>
        <translation>字符数</translation>
    </message>
    <message>
        <source>Train a model to see its test metrics.</source>
        <translation>训练模型后，这里显示测试指标。</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>early, by request</source>
        <translation>按要求提前停止</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <source>test loss</source>
        <translation>测试损失</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>test MAE</source>
        <translation>测试平均绝对误差</translation>
    </message>
    <message>
        <source>test MSE</source>
        <translation>测试均方误差</translation>
    </message>
    <message>
        <source>test perplexity</source>
        <translation>测试困惑度</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import Model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <source>a .keras, .json (Keras config), .onnx or .py (PyTorch) file</source>
        <translation>.keras、.json（Keras 配置）、.onnx 或 .py（PyTorch）文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>JSON, e.g. [10] or {"classes": 10}; empty: none</source>
        <translation>JSON，例如 [10] 或 {"classes": 10}；留空表示无参数</translation>
    </message>
    <message>
        <source>Module class</source>
        <translation>模块类名</translation>
    </message>
    <message>
        <source>Constructor arguments</source>
        <translation>构造参数</translation>
    </message>
    <message>
        <source>Inputs (per sample)</source>
        <translation>输入（每个样本）</translation>
    </message>
    <message>
        <source>Importing a PyTorch module runs the code in this file (in a separate process). Only import files you trust.</source>
        <translation>导入 PyTorch 模块会运行这个文件中的代码（在单独的进程中）。只导入你信任的文件。</translation>
    </message>
    <message>
        <source>Automatic (from the last layer)</source>
        <translation>自动（根据最后一层）</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Binary</source>
        <translation>二分类</translation>
    </message>
    <message>
        <source>Multi-label</source>
        <translation>多标签</translation>
    </message>
    <message>
        <source>Regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>Loss of each output</source>
        <translation>每个输出的损失</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>新项目</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Models (*.keras *.json *.onnx *.py);;All files (*)</source>
        <translation>模型 (*.keras *.json *.onnx *.py);;所有文件 (*)</translation>
    </message>
    <message>
        <source>unknown: choose a .keras, .json, .onnx or .py file</source>
        <translation>未知：请选择 .keras、.json、.onnx 或 .py 文件</translation>
    </message>
    <message>
        <source>Choose the model file to import.</source>
        <translation>请选择要导入的模型文件。</translation>
    </message>
    <message>
        <source>LayerLab imports .keras, .json (Keras config), .onnx and .py (PyTorch) files.</source>
        <translation>LayerLab 可导入 .keras、.json（Keras 配置）、.onnx 和 .py（PyTorch）文件。</translation>
    </message>
    <message>
        <source>The new project needs a file name ending in .json.</source>
        <translation>新项目的文件名须以 .json 结尾。</translation>
    </message>
    <message>
        <source>Name the nn.Module class to import.</source>
        <translation>请填写要导入的 nn.Module 类名。</translation>
    </message>
    <message>
        <source>The constructor arguments must be JSON, e.g. [10].</source>
        <translation>构造参数必须是 JSON，例如 [10]。</translation>
    </message>
    <message>
        <source>Write each input as name:shape, e.g. images:1x28x28 (not {part}).</source>
        <translation>每个输入写成 名称:形状，例如 images:1x28x28（而不是 {part}）。</translation>
    </message>
    <message>
        <source>{path} exists. Replace it?</source>
        <translation>{path} 已存在。要替换吗？</translation>
    </message>
</context>
<context>
    <name>HelpDialogs</name>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <source>Installed in</source>
        <translation>安装位置</translation>
    </message>
    <message>
        <source>Draw deep-learning models as graphs and get equivalent PyTorch and Keras code.</source>
        <translation>以图的方式绘制深度学习模型，并生成等价的 PyTorch 与 Keras 代码。</translation>
    </message>
    <message>
        <source>Open the project folder</source>
        <translation>打开项目文件夹</translation>
    </message>
    <message>
        <source>About LayerLab</source>
        <translation>关于 LayerLab</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>画布</translation>
    </message>
    <message>
        <source>Quick Add Layer</source>
        <translation>快速添加层</translation>
    </message>
    <message>
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <source>Space + drag, or drag with the middle or right button</source>
        <translation>按住空格拖动，或用鼠标中键、右键拖动</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Mouse wheel</source>
        <translation>鼠标滚轮</translation>
    </message>
    <message>
        <source>Select several</source>
        <translation>多选</translation>
    </message>
    <message>
        <source>Drag a rectangle, or Ctrl + click</source>
        <translation>拖出矩形框，或按住 Ctrl 单击</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>筛选…</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Hyperparameters</source>
        <translation>超参数</translation>
    </message>
    <message>
        <source>Layer Reference</source>
        <translation>层参考</translation>
    </message>
    <message>
        <source>Search layers (English or Chinese)…</source>
        <translation>搜索层（中英文均可）…</translation>
    </message>
    <message>
        <source>%1 of %2 layers</source>
        <translation>显示 %1 个层（共 %2 个）</translation>
    </message>
    <message>
        <source>No layer matches the search.</source>
        <translation>没有与搜索匹配的层。</translation>
    </message>
    <message>
        <source>Search (English or Chinese)…</source>
        <translation>搜索（中英文均可）…</translation>
    </message>
    <message>
        <source>%1 of %2 layers, %3 of %4 concepts</source>
        <translation>显示 %1 个层（共 %2 个），%3 个概念（共 %4 个）</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Concepts</source>
        <translation>概念</translation>
    </message>
    <message>
        <source>Concept</source>
        <translation>概念</translation>
    </message>
    <message>
        <source>Concepts:</source>
        <translation>相关概念：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>相关的层：</translation>
    </message>
    <message>
        <source>No concept matches the search.</source>
        <translation>没有与搜索匹配的概念。</translation>
    </message>
</context>
<context>
    <name>BoundaryView</name>
    <message>
        <source>The decision boundary appears here while a 2-D data set trains (needs the script's boundary events).</source>
        <translation>训练二维数据集时，决策边界会显示在这里（需要训练脚本报告决策边界）。</translation>
    </message>
    <message>
        <source>Decision map after epoch %1</source>
        <translation>第 %1 轮后的决策区域</translation>
    </message>
</context>
<context>
    <name>DatasetPreviewWidget</name>
    <message>
        <source>Class counts: %1</source>
        <translation>各类别样本数：%1</translation>
    </message>
    <message>
        <source>%1 images, %2×%3, %4 classes</source>
        <translation>%1 张图像，%2×%3，%4 个类别</translation>
    </message>
    <message>
        <source>%1 points in %2-D</source>
        <translation>%1 个二维点</translation>
    </message>
    <message>
        <source>%1 training + %2 test images, %3×%4</source>
        <translation>%1 张训练图像 + %2 张测试图像，%3×%4</translation>
    </message>
    <message>
        <source>%1 characters, vocabulary of %2</source>
        <translation>%1 个字符，词表大小 %2</translation>
    </message>
    <message>
        <source>%1 images in %2 classes</source>
        <translation>%1 张图像，%2 个类别</translation>
    </message>
    <message>
        <source>%1 labelled texts in %2 classes</source>
        <translation>%1 条带标签文本，%2 个类别</translation>
    </message>
    <message>
        <source>%1 WAV files in %2 classes</source>
        <translation>%1 个 WAV 文件，%2 个类别</translation>
    </message>
</context>
<context>
    <name>SummaryDock</name>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>FLOPs</source>
        <translation>FLOPs</translation>
    </message>
    <message>
        <source>Memory / sample</source>
        <translation>内存 / 样本</translation>
    </message>
    <message>
        <source>Memory / batch</source>
        <translation>内存 / 批次</translation>
    </message>
    <message>
        <source>loss on {shape}</source>
        <translation>对 {shape} 计算损失</translation>
    </message>
    <message>
        <source>{n} FLOPs per sample</source>
        <translation>每个样本 {n} 次浮点运算</translation>
    </message>
    <message>
        <source>Total: {params} parameters · {flops} FLOPs per sample · activations {memory} per sample, {batch} for a batch of {n}</source>
        <translation>合计：{params} 个参数 · 每个样本 {flops} 次浮点运算 · 激活值每个样本 {memory}，每批 {n} 个样本 {batch}</translation>
    </message>
    <message>
        <source>(layers marked ? are not counted)</source>
        <translation>（标为 ? 的层未计入）</translation>
    </message>
</context>
<context>
    <name>CompareController</name>
    <message>
        <source>&amp;Compare With…</source>
        <translation>与文件比较(&amp;C)…</translation>
    </message>
    <message>
        <source>Show how the model differs from a project file</source>
        <translation>显示模型与某个项目文件的差异</translation>
    </message>
    <message>
        <source>Clear Comparison</source>
        <translation>清除比较</translation>
    </message>
    <message>
        <source>Stop showing the differences (Esc)</source>
        <translation>不再显示差异（Esc）</translation>
    </message>
    <message>
        <source>Compare With Project</source>
        <translation>与项目比较</translation>
    </message>
    <message>
        <source>LayerLab projects (*.json);;All files (*)</source>
        <translation>LayerLab 项目 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot compare</source>
        <translation>无法比较</translation>
    </message>
    <message>
        <source>Added since {file}</source>
        <translation>相对 {file} 新增</translation>
    </message>
    <message>
        <source>Changed since {file}</source>
        <translation>相对 {file} 已修改</translation>
    </message>
    <message>
        <source>name: {old} → {new}</source>
        <translation>名称：{old} → {new}</translation>
    </message>
    <message>
        <source>No differences from {file}</source>
        <translation>与 {file} 没有差异</translation>
    </message>
    <message>
        <source>Compared with {file}: {added} added, {changed} changed, {removed} removed</source>
        <translation>与 {file} 比较：新增 {added} 个，修改 {changed} 个，删除 {removed} 个</translation>
    </message>
    <message>
        <source>removed: {names}</source>
        <translation>已删除：{names}</translation>
    </message>
    <message>
        <source>this model</source>
        <translation>当前模型</translation>
    </message>
</context>
<context>
    <name>CanvasMenus</name>
    <message>
        <source>Other…</source>
        <translation>其他…</translation>
    </message>
    <message>
        <source>Fix: {fix}</source>
        <translation>修复：{fix}</translation>
    </message>
    <message>
        <source>Insert before</source>
        <translation>在前面插入</translation>
    </message>
    <message>
        <source>Insert after</source>
        <translation>在后面插入</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>替换为</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Disconnect All</source>
        <translation>断开所有连接</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Rename Layer</source>
        <translation>重命名层</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Insert layer here</source>
        <translation>在此处插入层</translation>
    </message>
    <message>
        <source>Delete Connection</source>
        <translation>删除连接</translation>
    </message>
    <message>
        <source>Add layer here</source>
        <translation>在此处添加层</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Auto-layout</source>
        <translation>自动布局</translation>
    </message>
    <message>
        <source>Fit to View</source>
        <translation>适应视图</translation>
    </message>
    <message>
      <source>Group into Block</source>
      <translation>组成块</translation>
    </message>
    <message>
      <source>Ungroup</source>
      <translation>取消分组</translation>
    </message>
    <message>
      <source>Expand</source>
      <translation>展开</translation>
    </message>
    <message>
      <source>Collapse</source>
      <translation>折叠</translation>
    </message>
    <message>
      <source>Rename Block…</source>
      <translation>重命名块…</translation>
    </message>
    <message>
      <source>Save Block to Library</source>
      <translation>将块保存到库</translation>
    </message>
    <message>
      <source>Delete Block</source>
      <translation>删除块</translation>
    </message>
    <message>
      <source>Rename Block</source>
      <translation>重命名块</translation>
    </message>
    <message>
      <source>Cannot save the block: {reason}</source>
      <translation>无法保存块：{reason}</translation>
    </message>
    <message>
      <source>Saved the block to {path}</source>
      <translation>块已保存到 {path}</translation>
    </message>
</context>
<context>
    <name>Edits</name>
    <message>
        <source>Insert {layer} before {name}</source>
        <translation>在 {name} 前插入 {layer}</translation>
    </message>
    <message>
        <source>Add {layer} after {name}</source>
        <translation>在 {name} 后添加 {layer}</translation>
    </message>
    <message>
        <source>Set {values} on {name}</source>
        <translation>在 {name} 上设置 {values}</translation>
    </message>
    <message>
        <source>Connect {src} to {name}</source>
        <translation>将 {src} 连接到 {name}</translation>
    </message>
</context>
<context>
    <name>Blocks</name>
    <message>
      <source>Group {n} layers into {name}</source>
      <translation>将 {n} 个层组成块 {name}</translation>
    </message>
    <message>
      <source>Block</source>
      <translation>块</translation>
    </message>
    <message>
      <source>Ungroup {name}</source>
      <translation>取消块 {name} 的分组</translation>
    </message>
    <message>
      <source>Ungroup {n} blocks</source>
      <translation>取消 {n} 个块的分组</translation>
    </message>
    <message>
      <source>Collapse {name}</source>
      <translation>折叠 {name}</translation>
    </message>
    <message>
      <source>Expand {name}</source>
      <translation>展开 {name}</translation>
    </message>
    <message>
      <source>Rename {old} to {name}</source>
      <translation>将 {old} 重命名为 {name}</translation>
    </message>
    <message>
      <source>Connect {src} → {dst} ({n} ports)</source>
      <translation>连接 {src} → {dst}（{n} 个端口）</translation>
    </message>
    <message>
      <source>Insert {block}</source>
      <translation>插入 {block}</translation>
    </message>
    <message>
      <source>A block in the library could not be read: {problem}</source>
      <translation>块库中有一个块无法读取：{problem}</translation>
    </message>
    <message>
      <source>{title} (this project)</source>
      <translation>{title}（本项目）</translation>
    </message>
</context>
<context>
    <name>InsideView</name>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>The test sample whose activations are shown (used by the next run)</source>
        <translation>显示其激活值的测试样本（下一次运行时生效）</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>input patch</source>
        <translation>输入块</translation>
    </message>
    <message>
        <source>kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>products</source>
        <translation>乘积</translation>
    </message>
    <message>
        <source>Gradient norm per layer (log scale)</source>
        <translation>各层梯度范数（对数坐标）</translation>
    </message>
    <message>
        <source>inspection</source>
        <translation>检查次序</translation>
    </message>
    <message>
        <source>Weights (grey) and gradients (red)</source>
        <translation>权重（灰）与梯度（红）</translation>
    </message>
    <message>
        <source>Check Inspect and train: every layer's output for the chosen sample appears here and on its card.</source>
        <translation>勾选“检查”并训练：所选样本在每一层的输出会显示在这里和该层的卡片上。</translation>
    </message>
    <message>
        <source>Select a layer on the canvas to see what it computes.</source>
        <translation>在画布上选择一个层，查看它计算出的结果。</translation>
    </message>
    <message>
        <source>Epoch {epoch}, sample {sample}</source>
        <translation>第 {epoch} 轮，样本 {sample}</translation>
    </message>
    <message>
        <source>{n} values, shape {shape}; blue &lt; 0 &lt; red</source>
        <translation>{n} 个值，形状 {shape}；蓝 &lt; 0 &lt; 红</translation>
    </message>
    <message>
        <source>Select a Conv2D layer, then click a point of its feature maps.</source>
        <translation>选择一个二维卷积层，然后点击其特征图上的一点。</translation>
    </message>
    <message>
        <source>Output channel {c}, row {r}, column {q}: Σ (patch × kernel) + bias</source>
        <translation>输出通道 {c}，第 {r} 行，第 {q} 列：Σ（输入块 × 卷积核）+ 偏置</translation>
    </message>
    <message>
        <source>the layer computed {v:.4g}</source>
        <translation>该层算出的值为 {v:.4g}</translation>
    </message>
    <message>
        <source>Dead units (0 for every sample of the batch): {p:.0%}</source>
        <translation>死亡单元（对批次中每个样本都为 0）：{p:.0%}</translation>
    </message>
    <message>
        <source>Dead ReLU units: {list}</source>
        <translation>死亡的 ReLU 单元：{list}</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
</context>
<context>
    <name>PlaygroundView</name>
    <message>
        <source>Train a model on 2-D points (spirals, moons, circles, XOR) with Inspect checked: each neuron's map over the plane appears here.</source>
        <translation>勾选“检查”，在二维点数据（螺旋、双月、圆环、异或）上训练模型：每个神经元在平面上的响应图会显示在这里。</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Train again</source>
        <translation>重新训练</translation>
    </message>
    <message>
        <source>Stop the current run and train from the start with these settings</source>
        <translation>停止当前运行，用这些设置从头训练</translation>
    </message>
</context>
<context>
    <name>LessonDock</name>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Open “{name}”</source>
        <translation>打开“{name}”</translation>
    </message>
</context>
<context>
    <name>DrawPad</name>
    <message>
        <source>Inspect my drawing instead of a test sample</source>
        <translation>检查我画的样本，而不是测试样本</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Drawing needs a model with one grey-level image Input.</source>
        <translation>画图需要模型只有一个灰度图像输入。</translation>
    </message>
    <message>
        <source>Draw with the left button, erase with the right. The next run with Inspect shows every layer's output for it.</source>
        <translation>用左键画，右键擦除。下一次勾选“检查”的运行会显示每一层对它的输出。</translation>
    </message>
</context>
</TS>
