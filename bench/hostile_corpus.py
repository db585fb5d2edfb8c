"""A generated corpus of hostile project files and the CLI runs over them; prints the counts.

Every example document is mutated field by field: integers too large for a float or with thousands of
digits, subnormal and negative numbers, names and titles with control, bidi and invisible characters,
escape sequences and lone surrogates, dataset paths with null bytes, devices, pipes, folders, files in the
wrong format or encoding, and a large CSV. Each case runs ``check``, ``summary`` and ``export`` in this
process with a 30 s alarm. A traceback, a hang, or a file accepted that must be refused is a failure.

    python bench/hostile_corpus.py [--every N]     (N > 1 runs every N-th case)
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLES = ROOT / "resources" / "examples"
NUMBERS = [10**400, -(10**400), 10**4000, 10**30, 2**63, 1e308, -1e308, 5e-324, 1e-310, 0, -1, 1.5]
MUST_REFUSE_NUMBER = 10**20  # no field of a project may hold a number this large
TEXTS = [
    "a\n",
    "x\x7f",
    "a\u0085b",
    "\u009b[31m",
    "ab\u202e",
    "a\u2028",
    "a\u2029",
    "z\u200b",
    "\ufeffname",
    "\x1b[2J",
    "a" * 200,
    "",
    " ",
    "名字",
    "\ud800",
    "a\x00b",
]
REFUSED_IN_NAMES = set("\n\x7f\u0085\u009b\u202e\u2028\u2029\u200b\ufeff\x1b\ud800\x00")


def _leaves(obj, path=()):
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _leaves(value, (*path, i))
    else:
        yield path, obj


def _set(obj, path, value):
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value


def special_paths(tmp: Path) -> list[tuple[str, str]]:
    """(label, path) of dataset and project paths that are not what they claim to be."""
    fifo = tmp / "pipe"
    if not fifo.exists():
        os.mkfifo(fifo)
    latin = tmp / "latin1.csv"
    latin.write_bytes("a,b,label\n1,2,caf\xe9\n".encode("latin-1"))
    npy = tmp / "array.npz"
    with open(npy, "wb") as fh:
        import numpy as np

        np.save(fh, np.zeros(3))
    big = tmp / "big.csv"
    if not big.exists():
        with open(big, "w", encoding="utf-8") as fh:
            fh.write("a,b,label\n")
            fh.write("1.5,2.5,x\n" * 1_500_000)
    return [
        ("fifo", str(fifo)),
        ("dev-zero", "/dev/zero"),
        ("dev-urandom", "/dev/urandom"),
        ("folder", str(tmp)),
        ("latin1-csv", str(latin)),
        ("npy-as-npz", str(npy)),
        ("big-csv", str(big)),
        ("null", "a\x00b.csv"),
    ]


def cases(tmp: Path):
    """(label, document or None, project path override, must be refused)."""
    docs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))}
    for name, doc in docs.items():
        for path, value in _leaves(doc):
            if isinstance(value, bool):
                continue
            if isinstance(value, (int, float)) and path[0] != "version":
                for n in NUMBERS:
                    d = copy.deepcopy(doc)
                    _set(d, path, n)
                    yield f"{name}:{path}={str(n)[:12]}", d, None, isinstance(n, int) and abs(n) >= MUST_REFUSE_NUMBER
            if isinstance(value, str) and path[-1] in ("name", "title", "description", "dataset_path"):
                for text in TEXTS:
                    d = copy.deepcopy(doc)
                    _set(d, path, text)
                    refused = path[-1] == "name" and (bool(set(text) & REFUSED_IN_NAMES) or len(text) > 80)
                    refused |= path[-1] == "dataset_path" and "\x00" in text
                    yield f"{name}:{path}={text[:12]!r}", d, None, refused
    for kind in ("csv", "npz", "text", "text_classes", "audio_folder", "image_folder"):
        for label, special in special_paths(tmp):
            d = copy.deepcopy(docs["digits_mlp"])
            d["training"].update(dataset=kind, dataset_path=special)
            yield f"dataset {kind} {label}", d, None, "\x00" in special
    for label, special in special_paths(tmp):
        yield f"project {label}", None, special, True


def _quiet(fn, *args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        return fn(*args)


class _Hang(Exception):
    pass


def _alarm(*_):
    raise _Hang


def run(every: int = 1, limit_s: int = 30) -> dict:
    """Run the corpus (every ``every``-th case); the counts and the failures."""
    from app.cli import main as cli

    signal.signal(signal.SIGALRM, _alarm)
    stats = {"files": 0, "runs": 0, "tracebacks": 0, "hangs": 0, "wrongly_accepted": 0, "refused": 0}
    failures = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for i, (label, doc, project_path, must_refuse) in enumerate(cases(tmp)):
            if i % every:
                continue
            stats["files"] += 1
            path = project_path or str(tmp / "case.json")
            if doc is not None:
                (tmp / "case.json").write_text(json.dumps(doc, ensure_ascii=True), encoding="utf-8")
            for command in (["check", path], ["summary", path], ["export", path, "-o", str(tmp / "out.py")]):
                stats["runs"] += 1
                signal.alarm(limit_s)
                try:
                    code = _quiet(cli, command)
                except _Hang:
                    stats["hangs"] += 1
                    failures.append((label, command[0], "hang"))
                    continue
                except BaseException as err:
                    stats["tracebacks"] += 1
                    failures.append((label, command[0], f"{type(err).__name__}: {str(err)[:120]}"))
                    continue
                finally:
                    signal.alarm(0)
                if code == 2:
                    stats["refused"] += 1
                elif must_refuse:
                    stats["wrongly_accepted"] += 1
                    failures.append((label, command[0], f"accepted (exit {code})"))
    return {"stats": stats, "failures": failures}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="run every N-th case")
    args = parser.parse_args(argv)
    result = run(args.every)
    print(json.dumps(result["stats"]))
    for failure in result["failures"][:40]:
        print(*failure, sep="  |  ")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
