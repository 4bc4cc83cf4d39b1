import json
import subprocess
import sys

import pytest

from gantheory import cli


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "gantheory", *args], capture_output=True, text=True, timeout=300
    )


def _refuse(constant):
    raise ValueError(f"not strict JSON: {constant}")


def test_verify_json_subset():
    proc = run_cli("verify", "--json", "--only", "gibbs", "vae-kl")
    assert proc.returncode == 0, proc.stderr
    # Strict: Infinity, -Infinity and NaN are not JSON.
    payload = json.loads(proc.stdout, parse_constant=_refuse)
    assert payload["passed"] is True
    assert [t["key"] for t in payload["theorems"]] == ["gibbs", "vae-kl"]
    for theorem in payload["theorems"]:
        assert theorem["max_error"] <= theorem["tolerance"]
        assert theorem["comparisons"]
        kinds = [c["kind"] for c in theorem["comparisons"]]
        assert theorem["n_checks"] == kinds.count("check") > 0
        assert theorem["n_identities"] == kinds.count("identity")
    # gibbs: KL(p || p) is an identity in each of its 4 configurations; KL(U[0, 2] || U[0, 1])
    # is infinite and written as the string "inf".
    gibbs = payload["theorems"][0]
    assert gibbs["n_identities"] == 4
    assert "inf" in [c["rhs"] for c in gibbs["comparisons"]]
    assert payload["n_checks"] == payload["n_checks_passed"] == sum(
        t["n_checks"] for t in payload["theorems"])


def test_strict_json_encoding():
    from gantheory.cli.verify import strict_json

    encoded = json.dumps(strict_json({"a": [float("inf"), -float("inf"), float("nan"), 1.0]}),
                         allow_nan=False)
    assert json.loads(encoded, parse_constant=_refuse) == {"a": ["inf", "-inf", "nan", 1.0]}


def test_verify_text_counts_checks(capsys):
    assert cli.main(["verify", "--only", "criterion-jsd"]) == 0
    out = capsys.readouterr().out
    header, _, row = out.splitlines()[:3]
    assert header.split()[:5] == ["theorem", "source", "configs", "checks", "max"]
    # 5 configurations; 3 checks in each but p_g = p_data, whose 2 comparisons are identities.
    cells = row.split()  # ..., configs, checks, max error, tolerance, pass
    assert cells[0] == "criterion-jsd" and cells[-5:-3] == ["5", "12"]
    assert "1/1 theorems pass" in out
    assert "12/12 independent checks pass (2 identities shown with --details, not counted)" in out


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
