"""The photo benchmark: accuracy on the labelled set, speed on 12-MP JPEGs, both for
Ménage and imagededup's PHash in one run (see bench/README.md, "Photos")."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from statistics import median
from typing import Any

from bench.photos_set import build, build_large

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out" / "photos"
UV = BENCH.parent / ".tools" / "bin" / "uv"
TARGETS = {"precision": 0.98, "recall": 0.9, "speed_ratio": 5.0, "second_run_ratio": 20.0}


def _venv(path: Path, packages: list[str], no_deps: tuple[str, ...] = ()) -> Path:
    python = path / "bin" / "python"
    if not python.exists():
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
        subprocess.run([UV, "venv", "-q", "--python", sys.executable, path], check=True, env=env)
        if no_deps:
            subprocess.run(
                [UV, "pip", "install", "-q", "--python", python, "--no-deps", *no_deps],
                check=True,
                env=env,
            )
        subprocess.run(
            [UV, "pip", "install", "-q", "--python", python, *packages], check=True, env=env
        )
    return python


def _sources(python: Path) -> Path:
    out = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def _pairs(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def _score(predicted: set[tuple[str, str]], labels: dict[str, str]) -> dict[str, float]:
    by_label: dict[str, list[str]] = {}
    for name, label in labels.items():
        by_label.setdefault(label, []).append(name)
    truth = _pairs(list(by_label.values()))
    hits = len(predicted & truth)
    return {
        "precision": hits / len(predicted) if predicted else 1.0,
        "recall": hits / len(truth) if truth else 1.0,
        "pairs_predicted": len(predicted),
        "pairs_true": len(truth),
    }


def _menage(folder: Path, cache_path: Path | None) -> tuple[float, Any]:
    from menage.photos import PhotoCache, PhotoOptions, analyse

    start = time.perf_counter()
    with PhotoCache(cache_path) as cache:
        found = analyse([folder], PhotoOptions(burst_seconds=0), cache=cache)
    return time.perf_counter() - start, found


def _imagededup(python: Path, folder: Path, threshold: int) -> tuple[float, dict[str, list[str]]]:
    out = subprocess.run(
        [str(python), str(BENCH / "photos_imagededup.py"), str(folder), str(threshold)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    return data["seconds"], data["duplicates"]


def _czkawka(python: Path, folder: Path, similarity: int) -> tuple[float, list[list[str]]]:
    out = subprocess.run(
        [str(python), str(BENCH / "photos_czkawka.py"), str(folder), str(similarity)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    return data["seconds"], data["groups"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", type=int, default=48, help="12-MP JPEGs for the speed run")
    parser.add_argument("--runs", type=int, default=3, help="speed runs per tool (median kept)")
    parser.add_argument("--threshold", type=int, default=10, help="imagededup's max distance")
    parser.add_argument("--similarity", type=int, default=10, help="czkawka's similarity level")
    args = parser.parse_args(argv)

    data_python = _venv(OUT / "venv-data", ["scikit-image", "scikit-learn"])
    # imagededup's own dependencies without PyTorch (see photos_imagededup.py)
    idd_python = _venv(
        OUT / "venv-imagededup",
        ["numpy", "scipy", "PyWavelets", "pillow", "tqdm", "scikit-learn", "matplotlib"],
        no_deps=("imagededup",),
    )
    czk_python = _venv(OUT / "venv-czkawka", ["czkawka"])
    sources = _sources(data_python)
    labelled = OUT / "set"
    labels = build(sources, labelled)

    _, found = _menage(labelled, None)
    ours = _score(
        _pairs([[os.path.basename(p.path).decode() for p in g.photos] for g in found.similar]),
        labels,
    )
    ours["errors"] = len(found.errors)
    _, dups = _imagededup(idd_python, labelled, args.threshold)
    theirs = _score({tuple(sorted((a, b))) for a, bs in dups.items() for b in bs}, labels)  # type: ignore[misc]
    _, czk_groups = _czkawka(czk_python, labelled, args.similarity)
    czk = _score(_pairs(czk_groups), labels)

    large = OUT / "large"
    build_large(sources, large, args.large)
    cache = OUT / "cache.sqlite"
    first, second, idd, czk_s = [], [], [], []
    for _ in range(args.runs):
        for suffix in ("", "-wal", "-shm"):
            Path(str(cache) + suffix).unlink(missing_ok=True)
        first.append(_menage(large, cache)[0])
        second.append(_menage(large, cache)[0])
        idd.append(_imagededup(idd_python, large, args.threshold)[0])
        czk_s.append(_czkawka(czk_python, large, args.similarity)[0])
    n = args.large
    result = {
        "set": {"files": len(labels), "menage": ours, "imagededup_phash": theirs, "czkawka": czk},
        "speed": {
            "images": n,
            "menage_first_s": median(first),
            "menage_second_s": median(second),
            "imagededup_s": median(idd),
            "menage_images_per_s": n / median(first),
            "imagededup_images_per_s": n / median(idd),
            "czkawka_s": median(czk_s),
            "czkawka_images_per_s": n / median(czk_s),
            "speed_ratio": median(idd) / median(first),
            "czkawka_ratio": median(czk_s) / median(first),
            "second_run_ratio": median(first) / median(second),
        },
        "cpus": os.cpu_count(),
    }
    (OUT / "result.json").write_text(json.dumps(result, indent=2))
    _print(result)
    return 0


def _print(r: dict[str, Any]) -> None:
    s, m, t = r["speed"], r["set"]["menage"], r["set"]["imagededup_phash"]
    c = r["set"]["czkawka"]
    ok = {
        "precision": m["precision"] >= TARGETS["precision"],
        "recall": m["recall"] >= TARGETS["recall"],
        "speed": s["speed_ratio"] >= TARGETS["speed_ratio"],
        "second": s["second_run_ratio"] >= TARGETS["second_run_ratio"],
    }
    print(
        f"Labelled set: {r['set']['files']} files; speed: {s['images']} JPEGs of 12 MP, "
        f"{r['cpus']} CPUs\n"
    )
    print("| | Ménage | imagededup PHash | czkawka | target | met |")
    print("|---|---:|---:|---:|---:|:---:|")
    print(
        f"| precision (pairs) | {m['precision']:.3f} | {t['precision']:.3f} | "
        f"{c['precision']:.3f} | ≥ 0.98 | {'yes' if ok['precision'] else 'no'} |"
    )
    print(
        f"| recall (pairs) | {m['recall']:.3f} | {t['recall']:.3f} | {c['recall']:.3f} | "
        f"≥ 0.9 | {'yes' if ok['recall'] else 'no'} |"
    )
    print(
        f"| images/s, 12 MP JPEG | {s['menage_images_per_s']:.1f} | "
        f"{s['imagededup_images_per_s']:.1f} | {s['czkawka_images_per_s']:.1f} | "
        f"≥ 5× imagededup | {s['speed_ratio']:.1f}× {'yes' if ok['speed'] else 'no'} "
        f"(czkawka {s['czkawka_ratio']:.1f}×) |"
    )
    print(
        f"| second run (cache) | {s['menage_second_s']:.2f} s vs {s['menage_first_s']:.2f} s"
        f" | — | — | ≥ 20× | {s['second_run_ratio']:.0f}× {'yes' if ok['second'] else 'no'} |"
    )
