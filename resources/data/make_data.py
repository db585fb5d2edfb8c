"""Regenerate LayerLab's small synthetic example datasets.

Run ``python3 resources/data/make_data.py`` from anywhere. It (re)writes, next to this file:

* ``sentences.csv``: 400 short sentences (header ``text,label``) in four topic classes
  (``weather``, ``food``, ``sport``, ``animals``), half English and half Simplified Chinese,
  built from the templates and word lists below;
* ``shapes_masks.npz``: grey 32x32 images of filled circles, squares and triangles (``x``) and
  their per-pixel class maps (``y``), for segmentation;
* ``shapes_denoise.npz``: the same kind of images with strong Gaussian noise (``x``) and the
  clean images (``y``), for denoising;
* ``digits_views.npz``: the bundled 8x8 digits (``digits.npz``, scikit-learn's copy of the UCI
  set) as several named arrays, for models with several inputs and heads: ``image`` (N, 1, 8, 8)
  in 0-1, ``profile`` (N, 16) the ink of every row and column, ``digit`` (N,) the class,
  ``ink`` (N, 1) the mean ink and ``even`` (N, 1) 1 for an even digit;
* ``tones/<class>/<class>_NNN.wav``: 120 short mono 16-bit tones in four classes (``low``,
  ``high``, ``rising``, ``falling``), at 8000 Hz or 16000 Hz, 0.2-0.3 s long.

Everything is generated from fixed seeds, so the outputs are byte-identical on every run
(the .npz archives are written with a fixed zip timestamp). The generated data are made by
the LayerLab project and dedicated to the public domain (CC0 1.0).

Only numpy and the standard library are needed.
"""

from __future__ import annotations

import csv
import io
import wave
import zipfile
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent
SEED = 20240601
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# ---------------------------------------------------------------------------------------------
# sentences.csv
# ---------------------------------------------------------------------------------------------

SENTENCES_PER_LANGUAGE = 50  # per class and language: 4 classes x 2 languages x 50 = 400 rows

# fmt: off
EN_OPENERS = [
    "", "", "", "", "", "yesterday", "this morning", "last weekend", "I heard that", "to be honest",
    "as usual", "surprisingly", "according to my neighbour", "on Sunday", "believe it or not",
]
EN_CLOSERS = ["", "", "", "", "", "again", "this week", "as expected", "in the city", "all afternoon"]
EN_PEOPLE = ["my sister", "our teacher", "the old man next door", "Tom", "my best friend", "Grandma", "Lucy"]
EN_CORES = [
    "the {noun} was {adj}",
    "the {noun} looked really {adj}",
    "{event}",
    "{event}",
    "{person} said the {noun} was {adj}",
    "{person} told me that {event}",
    "nobody expected the {noun} to be so {adj}",
    "{event} and the {noun} was {adj}",
    "the {noun} was {adj}, so {event}",
]
EN_QUESTIONS = ["is the {noun} always this {adj}", "do you think {event}", "why was the {noun} so {adj}"]

EN_WORDS = {
    "weather": {
        "noun": ["rain", "snow", "wind", "fog", "sunshine", "thunder", "hail", "frost", "drizzle", "sky",
                 "storm", "weather forecast", "temperature"],
        "adj": ["cold", "warm", "windy", "cloudy", "sunny", "foggy", "humid", "freezing", "chilly", "stormy",
                "rainy"],
        "event": ["it rained all night", "the wind blew the umbrellas away", "a thick fog covered the hills",
                  "the snow piled up by the door", "the clouds cleared after lunch", "a storm is coming from the west",
                  "thunder rolled over the valley", "the temperature dropped below zero", "a rainbow appeared",
                  "hail hit the windows", "the sun finally came out"],
    },
    "food": {
        "noun": ["bread", "soup", "rice", "cheese", "pizza", "salad", "curry", "apple pie", "pasta", "omelette",
                 "stew", "chocolate cake", "garlic sauce", "roast chicken"],
        "adj": ["delicious", "spicy", "sweet", "salty", "crispy", "fresh", "bitter", "tender", "tasty", "creamy",
                "sour", "juicy"],
        "event": ["we baked fresh bread", "mum cooked a huge pot of soup", "the chef fried some onions",
                  "we ordered noodles at the market", "the cake came out of the oven", "he added too much salt",
                  "they ate dumplings for dinner", "the kitchen smelled of garlic", "she peeled the potatoes",
                  "we had pancakes with honey", "the restaurant served grilled fish"],
    },
    "sport": {
        "noun": ["match", "football game", "tennis final", "marathon", "team", "coach", "referee", "stadium",
                 "race", "basketball court", "swimming pool", "football team"],
        "adj": ["exciting", "fast", "tough", "exhausting", "intense", "sporty", "competitive", "athletic"],
        "event": ["the team scored in the last minute", "she won the tennis final", "the runners crossed the line",
                  "our club lost the match", "he trained at the gym every day", "the goalkeeper saved a penalty",
                  "the swimmer broke the record", "the fans cheered in the stadium", "the coach changed tactics",
                  "they played basketball after school", "the cyclist climbed the mountain"],
    },
    "animals": {
        "noun": ["cat", "dog", "horse", "rabbit", "elephant", "owl", "fox", "tiger", "dolphin", "parrot",
                 "squirrel", "puppy", "cow", "goat"],
        "adj": ["fluffy", "wild", "sleepy", "friendly", "noisy", "shy", "playful", "curious", "gentle", "clever"],
        "event": ["the dog barked at the postman", "a fox ran across the field", "the cat slept on the sofa",
                  "the horses galloped in the meadow", "an owl hooted in the tree", "the rabbit dug a hole",
                  "the parrot learned a new word", "the elephants drank at the river", "a squirrel stole the nuts",
                  "the puppy chased its tail", "the cows were grazing on the hill"],
    },
}

ZH_OPENERS = ["", "", "", "", "", "昨天", "今天早上", "听说", "周末", "说实话，", "没想到", "上个星期", "每年这个时候"]
ZH_CLOSERS = ["", "", "", "", "", "", "，大家都很高兴", "，我们都没想到", "，真是难忘的一天", "，我拍了很多照片", "，邻居们都在谈论"]
ZH_PEOPLE = ["我妈妈", "我的朋友", "老师", "邻居", "小明", "我哥哥", "奶奶"]
ZH_CORES = [
    "{noun}{adj}",
    "{noun}看起来{adj}",
    "{event}",
    "{event}",
    "{person}很喜欢{noun}",
    "{person}告诉我{event}",
    "{person}说{noun}{adj}",
]
ZH_QUESTIONS = ["{noun}真的{adj}吗", "你知道{event}吗", "为什么{noun}{adj}呢"]

ZH_WORDS = {
    "weather": {
        "noun": ["雨", "雪", "大风", "雾", "阳光", "天气", "气温", "乌云", "台风", "空气", "天空"],
        "adj": ["很冷", "很热", "特别潮湿", "非常闷热", "很晴朗", "有点凉", "很干燥", "越来越冷"],
        "event": ["下了一整夜的雨", "刮起了大风", "天空放晴了", "气温突然下降了", "外面下起了大雪", "打雷了",
                  "出现了一道彩虹", "台风要来了", "早上起了很大的雾", "下了冰雹"],
    },
    "food": {
        "noun": ["面条", "米饭", "饺子", "包子", "火锅", "蛋糕", "豆腐", "红烧肉", "鸡汤", "炒饭", "月饼"],
        "adj": ["很好吃", "很辣", "太甜了", "有点咸", "很香", "非常新鲜", "很脆", "特别嫩"],
        "event": ["妈妈做了一锅汤", "我们去餐厅吃了火锅", "他烤了一个蛋糕", "奶奶包了很多饺子", "厨师炒了两个菜",
                  "我们在夜市吃了烤串", "爸爸煮了一碗面", "她放了太多盐", "厨房里飘着饭菜的香味", "我们一起包了包子"],
    },
    "sport": {
        "noun": ["足球比赛", "篮球赛", "网球", "马拉松", "球队", "教练", "运动员", "比分", "体育场", "游泳比赛"],
        "adj": ["很激烈", "非常精彩", "很累", "特别紧张", "很快", "很有意思"],
        "event": ["球队赢了比赛", "他跑完了马拉松", "我们每天练习投篮", "守门员扑出了点球", "她得了游泳冠军",
                  "观众在体育场里欢呼", "教练换了战术", "我们踢了一下午足球", "他打破了跑步纪录", "两个队打成了平局"],
    },
    "animals": {
        "noun": ["小猫", "小狗", "兔子", "大象", "熊猫", "老虎", "鹦鹉", "狐狸", "松鼠", "小马", "金鱼"],
        "adj": ["很可爱", "很凶", "毛茸茸的", "很安静", "特别聪明", "很调皮", "胆子很小"],
        "event": ["小狗追着球跑", "猫在沙发上睡觉", "熊猫在吃竹子", "松鼠把坚果藏起来了", "鹦鹉学会了说话",
                  "兔子在草地上跳", "大象在河边喝水", "狐狸跑进了树林", "小猫抓到了一只老鼠", "马在草原上奔跑"],
    },
}
# fmt: on


def _pick(rng: np.random.Generator, items: list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _pick_zipf(rng: np.random.Generator, items: list[str]) -> str:
    """Pick with probability ~ rank ** -2.0, so the first words of each list are the topic's frequent keywords."""
    weights = np.arange(1, len(items) + 1) ** -2.0
    return items[int(rng.choice(len(items), p=weights / weights.sum()))]


def _fill(rng: np.random.Generator, template: str, words: dict[str, list[str]], people: list[str]) -> str:
    return template.format(
        noun=_pick_zipf(rng, words["noun"]),
        adj=_pick_zipf(rng, words["adj"]),
        event=_pick_zipf(rng, words["event"]),
        person=_pick(rng, people),
    )


def english_sentence(rng: np.random.Generator, words: dict[str, list[str]]) -> str:
    if rng.random() < 0.15:
        core = _fill(rng, _pick(rng, EN_QUESTIONS), words, EN_PEOPLE)
        return core[0].upper() + core[1:] + "?"
    core = _fill(rng, _pick(rng, EN_CORES), words, EN_PEOPLE)
    opener, closer = _pick(rng, EN_OPENERS), _pick(rng, EN_CLOSERS)
    comma = opener and not opener.endswith("that") and rng.random() < 0.5
    text = f"{opener}, {core}" if comma else f"{opener} {core}".strip()
    if closer:
        text = f"{text} {closer}"
    text = text[0].upper() + text[1:] + _pick(rng, [".", ".", ".", "!"])
    if rng.random() < 0.05:
        person = _pick(rng, EN_PEOPLE)
        text = f'{person[0].upper() + person[1:]} said, "{text}"'
    return text


def chinese_sentence(rng: np.random.Generator, words: dict[str, list[str]]) -> str:
    if rng.random() < 0.15:
        return _fill(rng, _pick(rng, ZH_QUESTIONS), words, ZH_PEOPLE) + "？"
    core = _fill(rng, _pick(rng, ZH_CORES), words, ZH_PEOPLE)
    text = _pick(rng, ZH_OPENERS) + core + _pick(rng, ZH_CLOSERS)
    if rng.random() < 0.05:
        return f"{_pick(rng, ZH_PEOPLE)}说：“{text}。”"
    return text + _pick(rng, ["。", "。", "。", "！"])


def _length_ok(text: str, chinese: bool) -> bool:
    if chinese:
        return 6 <= len(text) <= 30
    return 4 <= len(text.split()) <= 20


def _unique_sentences(rng: np.random.Generator, make, words: dict[str, list[str]], chinese: bool) -> list[str]:
    found: list[str] = []
    while len(found) < SENTENCES_PER_LANGUAGE:
        text = make(rng, words)
        if _length_ok(text, chinese) and text not in found:
            found.append(text)
    return found


def make_sentences(rng: np.random.Generator) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for label in EN_WORDS:
        rows += [(t, label) for t in _unique_sentences(rng, english_sentence, EN_WORDS[label], chinese=False)]
        rows += [(t, label) for t in _unique_sentences(rng, chinese_sentence, ZH_WORDS[label], chinese=True)]
    order = rng.permutation(len(rows))
    return [rows[i] for i in order]


def write_sentences(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["text", "label"])
        writer.writerows(rows)


# ---------------------------------------------------------------------------------------------
# shapes_masks.npz and shapes_denoise.npz
# ---------------------------------------------------------------------------------------------

IMAGE_SIZE = 32
N_IMAGES = 600
NOISE_SIGMA = 0.25 * 255
CIRCLE, SQUARE, TRIANGLE = 1, 2, 3


def _shape_mask(rng: np.random.Generator, kind: int) -> np.ndarray:
    """Boolean 32x32 mask of one filled shape of random size (6-14 px) and position."""
    size = float(rng.uniform(6, 14))
    margin = size / np.sqrt(3)  # circumradius of the triangle; keeps every shape inside the image
    cy, cx = rng.uniform(margin, IMAGE_SIZE - margin, size=2)
    yy, xx = np.mgrid[0:IMAGE_SIZE, 0:IMAGE_SIZE] + 0.5
    if kind == CIRCLE:
        return (yy - cy) ** 2 + (xx - cx) ** 2 <= (size / 2) ** 2
    if kind == SQUARE:
        return (np.abs(yy - cy) <= size / 2) & (np.abs(xx - cx) <= size / 2)
    # Equilateral triangle of side ~size, randomly rotated about its centre.
    angles = rng.uniform(0, 2 * np.pi) + np.array([0.0, 2.0, 4.0]) * np.pi / 3
    radius = size / np.sqrt(3)
    vy, vx = cy + radius * np.sin(angles), cx + radius * np.cos(angles)
    inside = np.ones((IMAGE_SIZE, IMAGE_SIZE), dtype=bool)
    for i in range(3):
        j = (i + 1) % 3
        cross = (vx[j] - vx[i]) * (yy - vy[i]) - (vy[j] - vy[i]) * (xx - vx[i])
        inside &= cross >= 0
    return inside


def shape_image(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One clean image (uint8, 32x32) and its class map (0 background, 1 circle, 2 square, 3 triangle)."""
    image = np.full((IMAGE_SIZE, IMAGE_SIZE), int(rng.integers(0, 31)), dtype=np.uint8)
    labels = np.zeros((IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint8)
    for _ in range(int(rng.integers(1, 3))):
        kind = int(rng.integers(1, 4))
        for _attempt in range(20):  # prefer shapes that do not overlap the ones already drawn
            mask = _shape_mask(rng, kind)
            if not (mask & (labels > 0)).any():
                break
        image[mask] = int(rng.integers(120, 256))
        labels[mask] = kind
    return image, labels


def make_shapes(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    pairs = [shape_image(rng) for _ in range(count)]
    images = np.stack([p[0] for p in pairs])
    labels = np.stack([p[1] for p in pairs])
    return images, labels


def add_noise(rng: np.random.Generator, images: np.ndarray) -> np.ndarray:
    noisy = images.astype(np.float64) + rng.normal(0.0, NOISE_SIGMA, size=images.shape)
    return np.clip(np.rint(noisy), 0, 255).astype(np.uint8)


def save_npz(path: Path, **arrays: np.ndarray) -> None:
    """Like np.savez_compressed, but with a fixed zip timestamp so the file is byte-identical on every run."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


# ---------------------------------------------------------------------------------------------
# tones/
# ---------------------------------------------------------------------------------------------

TONES_PER_CLASS = 30
TONE_CLASSES = ("low", "high", "rising", "falling")
FADE_S = 0.01


def _tone_frequencies(rng: np.random.Generator, label: str) -> tuple[float, float]:
    """Start and end frequency (Hz) of one tone of the given class."""
    if label == "low":
        f = float(rng.uniform(200, 400))
        return f, f
    if label == "high":
        f = float(rng.uniform(1000, 1600))
        return f, f
    low, high = 300 * float(rng.uniform(0.9, 1.1)), 1500 * float(rng.uniform(0.9, 1.1))
    return (low, high) if label == "rising" else (high, low)


def tone(rng: np.random.Generator, label: str, rate: int, duration: float) -> np.ndarray:
    """Float samples in [-1, 1]: a (linear-chirp) sine with random amplitude, a little noise and fades."""
    f0, f1 = _tone_frequencies(rng, label)
    n = round(rate * duration)
    t = np.arange(n) / rate
    phase = 2 * np.pi * (f0 * t + (f1 - f0) * t**2 / (2 * duration)) + rng.uniform(0, 2 * np.pi)
    signal = float(rng.uniform(0.3, 0.9)) * np.sin(phase) + rng.normal(0, 0.02, size=n)
    fade = min(n // 2, round(rate * FADE_S))
    ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
    signal[:fade] *= ramp
    signal[n - fade :] *= ramp[::-1]
    return np.clip(signal, -1.0, 1.0)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    pcm = np.rint(samples * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


def make_tones(rng: np.random.Generator, folder: Path) -> None:
    """Every fifth file is at 16000 Hz (the rest 8000 Hz); every third is 0.2-0.3 s long (the rest 0.25 s)."""
    for label in TONE_CLASSES:
        (folder / label).mkdir(parents=True, exist_ok=True)
        for i in range(TONES_PER_CLASS):
            rate = 16000 if i % 5 == 4 else 8000
            duration = round(float(rng.uniform(0.2, 0.3)), 3) if i % 3 == 1 else 0.25
            write_wav(folder / label / f"{label}_{i:03d}.wav", tone(rng, label, rate, duration), rate)


# ---------------------------------------------------------------------------------------------


def main() -> None:
    seeds = np.random.SeedSequence(SEED).spawn(4)
    sentence_rng, masks_rng, denoise_rng, tones_rng = (np.random.default_rng(s) for s in seeds)

    write_sentences(DATA_DIR / "sentences.csv", make_sentences(sentence_rng))

    images, labels = make_shapes(masks_rng, N_IMAGES)
    save_npz(DATA_DIR / "shapes_masks.npz", x=images[:, None], y=labels)

    clean, _ = make_shapes(denoise_rng, N_IMAGES)
    save_npz(DATA_DIR / "shapes_denoise.npz", x=add_noise(denoise_rng, clean)[:, None], y=clean[:, None])

    make_tones(tones_rng, DATA_DIR / "tones")
    write_digit_views(DATA_DIR / "digits_views.npz")
    print(f"wrote sentences.csv, shapes_masks.npz, shapes_denoise.npz, digits_views.npz and tones/ in {DATA_DIR}")


def write_digit_views(path: Path) -> None:
    """The bundled digits as named arrays: two views of each image and three targets."""
    with np.load(DATA_DIR / "digits.npz") as data:
        x, y = data["x"].astype("float32") / 16.0, data["y"].astype("int64")
    profile = np.concatenate([x.mean(axis=2), x.mean(axis=1)], axis=1).astype("float32")
    ink = x.mean(axis=(1, 2))[:, None].astype("float32")
    even = (y % 2 == 0).astype("float32")[:, None]
    save_npz(path, image=x[:, None], profile=profile, digit=y, ink=ink, even=even)


if __name__ == "__main__":
    main()
