"""Launch commands for several processes (codegen/launch.py) and ``layerlab export --format slurm``.

The batch script is checked by bash -n, under a fake SLURM (``srun`` and ``scontrol`` that record what
they were given), and by running its launch line on this machine: two torchrun processes train the
digits example for one epoch; two Keras workers are stand-ins that record their TF_CONFIG."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from codegen_helpers import EXAMPLES, ROOT

from app.cli import main
from codegen.launch import Launch, free_ports, job_name, local_commands, slurm_script, tf_config

# A stand-in for the Keras script: records its TF_CONFIG, argv and visible GPUs in OUT/worker<i>.json.
FAKE_KERAS = """\
import json, os, sys, time
from pathlib import Path
cfg = json.loads(os.environ["TF_CONFIG"])
index = cfg["task"]["index"]
out = Path(sys.argv[sys.argv.index("--out") + 1])
out.mkdir(parents=True, exist_ok=True)
seen = {"tf_config": cfg, "argv": sys.argv[1:], "gpus": os.environ.get("CUDA_VISIBLE_DEVICES")}
(out / f"worker{index}.json").write_text(json.dumps(seen))
if "--fail" in sys.argv:
    sys.exit(3) if index == 1 else time.sleep(60)
"""

# SLURM's tools, faked: scontrol expands the node list, srun starts its command once per task.
FAKE_SCONTROL = '#!/bin/bash\nprintf "n1\\nn2\\n"\n'
FAKE_SRUN = """\
#!/bin/bash
echo "$@" >> "$SRUN_LOG"
while [[ "$1" == --* ]]; do shift; done
for node in 0 1; do for ((local = 0; local < SLURM_NTASKS_PER_NODE; local++)); do
  SLURM_NODEID=$node SLURM_LOCALID=$local "$@" || exit $?
done; done
"""


def test_one_process_is_the_script_itself_as_before():
    for framework in ("pytorch", "tensorflow"):
        assert local_commands(framework, "py", "train.py", ["--out", "o"], 1) == [
            Launch(["py", "train.py", "--out", "o"], {})
        ]


def test_pytorch_processes_are_one_torchrun():
    [launch] = local_commands("pytorch", "py", "train.py", ["--out", "o"], 3)
    assert launch.argv == [
        "py",
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc-per-node",
        "3",
        "train.py",
        "--out",
        "o",
    ]
    assert launch.env == {}


def test_keras_workers_each_get_their_tf_config_on_free_ports():
    launches = local_commands("tensorflow", "py", "train.py", ["--out", "o"], 3)
    assert len(launches) == 3 and all(
        x.argv == ["py", "train.py", "--out", "o", "--strategy", "multiworker"] for x in launches
    )
    configs = [json.loads(x.env["TF_CONFIG"]) for x in launches]
    workers = configs[0]["cluster"]["worker"]
    assert len(set(workers)) == 3 and all(w.startswith("127.0.0.1:") for w in workers)
    assert [c["task"] for c in configs] == [{"type": "worker", "index": i} for i in range(3)]
    assert all(c["cluster"]["worker"] == workers for c in configs)
    assert json.loads(tf_config(["a:1"], 0)) == {"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 0}}
    assert len(set(free_ports(4))) == 4


def test_slurm_header_asks_for_nodes_gpus_and_time():
    text = slurm_script(
        "pytorch", "train.py", ["--epochs", "3"], nodes=2, gpus_per_node=4, time="2:00:00", name="My net!"
    )
    assert text.startswith("#!/bin/bash\n")
    for line in ("--job-name=My-net", "--nodes=2", "--ntasks-per-node=1", "--gres=gpu:4", "--time=2:00:00"):
        assert f"#SBATCH {line}\n" in text
    assert 'PROCS="${LAYERLAB_PROCESSES:-4}"' in text and "--device auto --epochs 3" in text  # one per GPU
    assert "srun --kill-on-bad-exit=1" in text and "--rdzv-backend c10d" in text
    keras = slurm_script("tensorflow", "k.py", nodes=3, processes=2)
    assert "#SBATCH --ntasks-per-node=2\n" in keras and "--gres" not in keras and "--device cpu" in keras
    for script in (text, keras):
        assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0
    with pytest.raises(ValueError, match="--time"):
        slurm_script("pytorch", time="1 hour; rm -rf /")
    assert job_name("«»") == "layerlab"
    with pytest.raises(ValueError, match="control characters"):
        slurm_script("pytorch", "x\nrm -rf ~.py")


def test_the_batch_script_says_where_to_submit_it_from(tmp_path):
    (tmp_path / "train.slurm").write_text(slurm_script("pytorch"))
    env = {**_no_slurm(), "SLURM_JOB_ID": "5", "SLURM_SUBMIT_DIR": "/"}  # sbatch run from elsewhere
    done = subprocess.run(["bash", str(tmp_path / "train.slurm")], env=env, capture_output=True, text=True)
    assert done.returncode == 2 and "submit from the folder that holds it" in done.stderr


def test_slurm_script_quotes_what_it_is_given(tmp_path):
    text = slurm_script("pytorch", "my train.py", ["--prompt", "it's $HOME"])
    assert "SCRIPT='my train.py'" in text and "'it'\"'\"'s $HOME'" in text


def _fake_slurm(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("scontrol", FAKE_SCONTROL), ("srun", FAKE_SRUN)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    slurm = {
        "SLURM_JOB_ID": "77",
        "SLURM_JOB_NODELIST": "n[1-2]",
        "SLURM_NNODES": "2",
        "SLURM_SUBMIT_DIR": str(tmp_path),
    }
    return {
        **_no_slurm(),
        **slurm,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "SRUN_LOG": str(tmp_path / "srun.log"),
    }


def _no_slurm() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}


def test_under_slurm_each_node_runs_torchrun_at_the_first_nodes_rendezvous(tmp_path):
    (tmp_path / "train.py").write_text("")
    (tmp_path / "train.slurm").write_text(slurm_script("pytorch", nodes=2, gpus_per_node=2))
    env = {**_fake_slurm(tmp_path), "PYTHON": "echo", "SLURM_NTASKS_PER_NODE": "1"}  # echo: what torchrun would get
    done = subprocess.run(
        ["bash", "train.slurm", "--epochs", "2"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    expected = (
        "-m torch.distributed.run --nnodes 2 --nproc-per-node 2 --rdzv-id 77 --rdzv-backend c10d "
        "--rdzv-endpoint n1:29500 train.py --out runs/77 --device auto --epochs 2"
    )
    assert done.stdout.splitlines() == [expected, expected]
    assert (tmp_path / "srun.log").read_text().startswith("--kill-on-bad-exit=1 echo -m torch.distributed.run")


def test_under_slurm_keras_workers_build_tf_config_from_the_node_list(tmp_path):
    (tmp_path / "train.py").write_text(FAKE_KERAS)
    (tmp_path / "train.slurm").write_text(slurm_script("tensorflow", nodes=2, gpus_per_node=4, processes=2))
    env = {
        **_fake_slurm(tmp_path),
        "PYTHON": sys.executable,
        "SLURM_NTASKS_PER_NODE": "2",
        "CUDA_VISIBLE_DEVICES": "0,1,2,3",
    }
    done = subprocess.run(["bash", "train.slurm"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    seen = [json.loads((tmp_path / "runs" / "77" / f"worker{i}.json").read_text()) for i in range(4)]
    assert seen[0]["tf_config"]["cluster"]["worker"] == ["n1:29500", "n1:29501", "n2:29500", "n2:29501"]
    assert [s["gpus"] for s in seen] == ["0,1", "2,3", "0,1", "2,3"]  # two workers a node: two GPUs each
    assert seen[3]["argv"] == ["--out", "runs/77", "--device", "auto", "--strategy", "multiworker"]


def test_without_slurm_keras_workers_run_here_and_a_failing_one_ends_the_others(tmp_path):
    (tmp_path / "train.py").write_text(FAKE_KERAS)
    (tmp_path / "train.slurm").write_text(slurm_script("tensorflow", processes=2))
    env = {**_no_slurm(), "PYTHON": sys.executable}
    done = subprocess.run(
        ["bash", "train.slurm", "--epochs", "1"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    seen = [json.loads((tmp_path / "runs" / "local" / f"worker{i}.json").read_text()) for i in range(2)]
    assert seen[1]["tf_config"] == {
        "cluster": {"worker": ["127.0.0.1:29500", "127.0.0.1:29501"]},
        "task": {"type": "worker", "index": 1},
    }
    failing = subprocess.run(["bash", "train.slurm", "--fail"], cwd=tmp_path, env=env, capture_output=True, timeout=20)
    assert failing.returncode == 3  # worker 1's code, and worker 0 (sleeping) was ended, not waited for


@pytest.mark.frameworks
def test_the_batch_scripts_launch_line_trains_with_two_processes_here(tmp_path, capsys):
    """`layerlab export --format slurm`, then `bash train.slurm` outside SLURM: two torchrun processes."""
    pytest.importorskip("torch")
    batch = tmp_path / "train.slurm"
    assert (
        main(["export", str(EXAMPLES / "digits_mlp.json"), "--format", "slurm", "--processes", "2", "-o", str(batch)])
        == 0
    )
    assert "sbatch train.slurm" in capsys.readouterr().out and (tmp_path / "train.py").exists()
    env = {**_no_slurm(), "PYTHON": sys.executable, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    env["LAYERLAB_PORT"] = str(free_ports(1)[0])
    cmd = ["bash", str(batch), "--epochs", "1", "--progress", "jsonl"]
    done = subprocess.run(cmd, cwd="/", env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    events = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    assert [e["event"] for e in events].count("end") == 1 and events[-1]["event"] == "end"  # rank 0 alone reports
    assert events[0]["event"] == "start" and (tmp_path / "runs" / "local" / "model.pt").exists()
