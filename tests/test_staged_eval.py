"""benchmarks/staged_eval.py: one training run, evaluated after each stage, resumable."""

import csv
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("staged_eval",
                                              ROOT / "benchmarks" / "staged_eval.py")
staged = importlib.util.module_from_spec(spec)
spec.loader.exec_module(staged)

TRAIN = ["--", "dcgan", "--batch-size", "8", "--width", "8", "--latent-dim", "4",
         "--ema", "0.5"]


def test_stages_are_evaluated_once_and_the_curve_is_drawn(tmp_path, monkeypatch):
    from gantheory.images import commands

    calls = []
    real_evaluate = commands.evaluate

    def evaluate(out, **kwargs):  # a small classifier keeps the test fast
        calls.append(out)
        return real_evaluate(out, classifier_steps=5, n_test=64, **kwargs)

    monkeypatch.setattr(commands, "evaluate", evaluate)
    out = tmp_path / "run"
    head = ["--every", "2", "--out", str(out), "--eval-samples", "100", "--trained-too",
            "--line", "kl_to_uniform=0.05=goal"]
    assert staged.main([*head, "--steps", "4", *TRAIN]) == 0
    assert sorted(p.name for p in out.glob("eval-*.json")) == [
        "eval-2-trained.json", "eval-2.json", "eval-4-trained.json", "eval-4.json"]
    for name, weights in (("eval-4.json", "ema"), ("eval-4-trained.json", "trained")):
        record = json.loads((out / name).read_text())
        assert (record["step"], record["weights"]) == (4, weights)
    with (out / "eval_curve.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [(int(r["step"]), r["weights"]) for r in rows] == [
        (2, "ema"), (2, "trained"), (4, "ema"), (4, "trained")]
    assert {"modes", "kl_to_uniform", "frechet_distance_classifier"} <= set(rows[0])
    assert (out / "eval_curve.png").stat().st_size > 10_000
    # the same command again continues: stages 2 and 4 are not trained or evaluated again
    assert staged.main([*head, "--steps", "6", *TRAIN]) == 0
    assert len(calls) == 6
    assert json.loads((out / "eval-6.json").read_text())["step"] == 6
    # an evaluation lost after its stage was trained is made again without training
    (out / "eval-6-trained.json").unlink()
    assert staged.main([*head, "--steps", "6", *TRAIN]) == 0
    assert len(calls) == 7
    assert json.loads((out / "eval-6-trained.json").read_text())["step"] == 6


def test_a_usage_error_of_train_is_its_exit_status(tmp_path, capsys):
    status = staged.main(["--every", "2", "--steps", "2", "--out", str(tmp_path / "r"),
                          "--", "dcgan", "--width", "0"])
    assert status == 2
    assert "width" in capsys.readouterr().err
