"""gantheory toy with bad input: one line, status 2, nothing started; every experiment
writes its provenance and a markdown table."""

import json

import pytest

from gantheory import cli


@pytest.mark.parametrize("argv, fragment", [
    (["toy", "modes", "--method", "gan", "gan"], "--method 'gan' is given twice"),
    (["toy", "modes", "--seeds", "100000"], "--seeds 100000 needs about"),
    (["toy", "one-d", "--seeds", "1000000"], "use fewer --seeds"),
    (["toy", "dirac", "--out", ""], "--out must name a folder"),
])
def test_refused_before_any_training(argv, fragment, tmp_path, capsys):
    if "--out" not in argv:
        argv = [*argv, "--out", str(tmp_path / "out")]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()  # nothing was started


def test_the_memory_estimate_grows_with_the_seeds_and_the_network():
    from gantheory.toyconfig import GANConfig, method_config

    base = GANConfig().memory_estimate(10)
    assert GANConfig().memory_estimate(20) == 2 * base
    assert method_config("pacgan4").memory_estimate(10) > base  # packed batches
    assert method_config("unrolled").memory_estimate(10) > base  # the lookahead steps
    # a lower bound that cannot be beaten: the parameters themselves, in float32
    weights = 4 * 10 * ((2 + 1) * 128 + 2 * (128 + 1) * 128 + (128 + 1) * 2)
    assert base > weights


def test_dirac_and_saturation_write_provenance_and_a_table(tmp_path):
    assert cli.main(["toy", "dirac", "--out", str(tmp_path / "d")]) == 0
    info = json.loads((tmp_path / "d" / "dirac_provenance.json").read_text())
    assert {"command", "commit", "device"} <= set(info)
    assert "| method |" in (tmp_path / "d" / "dirac.md").read_text()
    assert cli.main(["toy", "saturation", "--seeds", "1", "--out", str(tmp_path / "s")]) == 0
    table = (tmp_path / "s" / "saturation.md").read_text()
    assert "| discriminator steps |" in table and table.count("\n|") >= 7
    assert (tmp_path / "s" / "saturation_provenance.json").exists()
