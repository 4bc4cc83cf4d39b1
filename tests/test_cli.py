import json
import subprocess
import sys

import pytest

from gantheory import cli


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "gantheory", *args], capture_output=True, text=True, timeout=300
    )


def test_verify_json_subset():
    proc = run_cli("verify", "--json", "--only", "gibbs", "vae-kl")
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["passed"] is True
    assert [t["key"] for t in payload["theorems"]] == ["gibbs", "vae-kl"]
    for theorem in payload["theorems"]:
        assert theorem["max_error"] <= theorem["tolerance"]
        assert theorem["comparisons"]


@pytest.mark.parametrize(
    "args, fragment",
    [
        ((), "a command is required"),
        (("frobnicate",), "invalid choice"),
        (("verify", "--only", "no-such-theorem"), "unknown theorem 'no-such-theorem'"),
        (("verify", "--bogus"), "unrecognized arguments"),
    ],
)
def test_bad_arguments_one_line_exit_2(args, fragment):
    proc = run_cli(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert fragment in lines[0]
    assert "Traceback" not in proc.stderr


def test_failing_theorem_gives_exit_1(monkeypatch, capsys):
    from gantheory.theorems import catalogue
    from gantheory.theorems.base import Comparison, Configuration, Theorem

    broken = Theorem(
        key="broken",
        title="1 = 2",
        statement="1 = 2",
        source="nowhere",
        tolerance=1e-9,
        configurations=(Configuration("c"),),
        check=lambda config: [Comparison("1 vs 2", 1.0, 2.0)],
    )
    monkeypatch.setattr(catalogue, "CATALOGUE", (broken,))
    assert cli.main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "NO" in out and "0/1 theorems pass" in out


def test_crashing_theorem_is_reported_not_raised(monkeypatch, capsys):
    from gantheory.theorems import catalogue
    from gantheory.theorems.base import Configuration, Theorem

    def crash(config):
        raise ArithmeticError("boom")

    broken = Theorem("crash", "t", "s", "src", 1e-9, (Configuration("c"),), crash)
    monkeypatch.setattr(catalogue, "CATALOGUE", (broken,))
    assert cli.main(["verify"]) == 1
    assert "ArithmeticError: boom" in capsys.readouterr().out


def test_list(capsys):
    assert cli.main(["verify", "--list"]) == 0
    assert "criterion-jsd" in capsys.readouterr().out


def test_figures_command(tmp_path, capsys):
    from gantheory.figures import FIGURES

    assert cli.main(["figures", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [f.name for f in FIGURES.select()]
    assert cli.main(["figures", "--only", "jsd-separation", "--out", str(tmp_path), "--quiet"]) == 0
    assert (tmp_path / "jsd-separation.png").stat().st_size > 0
    assert cli.main(["figures", "--only", "no-such-figure", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no-such-figure" in err and err.count("\n") == 1
