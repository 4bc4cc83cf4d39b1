"""Toy-lab speed paths, checkpoints, resume and progress: what they must keep exactly."""

import numpy as np
import pytest
import torch

from gantheory.atomic import remove_stale_temporaries, save_atomic
from gantheory.cli import main
from gantheory.presets import ring
from gantheory.toyconfig import GANConfig, method_config
from gantheory.toylab import GANTrainer
from gantheory.toylab.nets import StackedMLP, flat_base, flatten, maxout, select
from gantheory.toylab.optim import StackedAdam, StackedSGD

TINY = {"g_hidden": (16, 16), "d_hidden": (16, 16), "batch_size": 12}


# -- maxout and the flat optimiser steps ---------------------------------------------------
def test_maxout_gradient_is_amax_gradient_bit_for_bit_with_ties():
    h = torch.randn(3, 4, 5, 6, generator=torch.Generator().manual_seed(0))
    h[:, :, 1] = h[:, :, 0]  # a tie in every unit (at the maximum or not)
    h[0, 0, :, 0] = 7.0  # a five-way tie at the maximum
    g = torch.randn(3, 4, 6, generator=torch.Generator().manual_seed(1))
    a = h.clone().requires_grad_()
    b = h.clone().requires_grad_()
    out = maxout(a.flatten(-2), 5)
    assert torch.equal(out, b.amax(-2))
    (ga,) = torch.autograd.grad(out, a, g)
    (gb,) = torch.autograd.grad(b.amax(-2), b, g)
    assert torch.equal(ga, gb)
    assert ga[0, 0, :, 0].tolist() == pytest.approx([float(g[0, 0, 0]) / 5] * 5)


def test_maxout_twice_differentiable():
    h = torch.randn(2, 3, 4 * 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: maxout(x, 4), (h,))
    assert torch.autograd.gradgradcheck(lambda x: maxout(x, 4), (h,))


def test_stacked_mlp_with_maxout_keeps_the_unit_major_layout():
    net = StackedMLP(2, 1, hidden=(3,), pieces=4)
    w0, b0, w1, b1 = net.init([0, 1])
    x = torch.randn(2, 7, 2)
    expected = (torch.baddbmm(b0, x, w0).unflatten(-1, (3, 4)).amax(-1)) @ w1 + b1
    torch.testing.assert_close(net.apply([w0, b0, w1, b1], x), expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize("make", [lambda p: StackedAdam(p, [0.02, 0.01], (0.8, 0.99)),
                                  lambda p: StackedSGD(p, [0.02, 0.01], momentum=0.9)])
def test_flat_and_per_tensor_optimiser_steps_agree_bit_for_bit(make):
    net = StackedMLP(2, 1, hidden=(5, 4))
    loose = net.init([3, 4])
    flat, views = flatten(net.init([3, 4]))
    assert flat_base(views) is flat and flat_base(loose) is None
    opt_loose, opt_flat = make(loose), make(views)
    x = torch.randn(2, 9, 2, generator=torch.Generator().manual_seed(0))
    for _ in range(4):
        for params, opt in ((loose, opt_loose), (views, opt_flat)):
            loss = (net.apply(params, x) ** 2).sum()
            opt.step(torch.autograd.grad(loss, params))
    assert all(torch.equal(a, b) for a, b in zip(loose, views, strict=True))
    # p.grad still works, and a parameter without a gradient is skipped
    views[0].grad = torch.ones_like(views[0])
    before = views[1].detach().clone()
    opt_flat.step()
    assert torch.equal(views[1].detach(), before)


def test_float64_seed_in_the_batch_follows_its_trajectory_alone_to_rounding():
    cfg = method_config("r1", pack=2, steps=5, **TINY)
    seeds = [3, 7, 11]
    batch = GANTrainer(cfg, ring(), seeds, noise_seed=5, dtype=torch.float64)
    noises = [batch.draw_noise() for _ in range(cfg.steps)]
    batch.run(noise=lambda i: noises[i], progress=False)
    assert batch.g_params[0].dtype == torch.float64
    for i, seed in enumerate(seeds):
        alone = GANTrainer(cfg, ring(), [seed], dtype=torch.float64)
        alone.run(noise=lambda step, i=i: noises[step].seeds(i), progress=False)
        for p_batch, p_alone in zip(select(batch.g_params + batch.d_params, slice(i, i + 1)),
                                    alone.g_params + alone.d_params, strict=True):
            torch.testing.assert_close(p_batch, p_alone.detach(), rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="dtype"):
        GANTrainer(cfg, ring(), [0], dtype=torch.float16)


# -- checkpoints and resume -----------------------------------------------------------------
RESUMABLE = {
    "non-saturating": method_config("non-saturating", steps=6, **TINY),
    "wgan-gp (penalty noise from the run's stream)": method_config("wgan-gp", steps=6, **TINY),
    "unrolled": method_config("unrolled", unroll=2, steps=6, **TINY),
    "sgd + clip": GANConfig(loss="wasserstein", weight_clip=0.05, optimizer="sgd", momentum=0.5,
                            d_pieces=1, steps=6, **TINY),
}


def _every_tensor(trainer):
    state = trainer.state_dict()
    out = {"g_flat": state["g_flat"], "d_flat": state["d_flat"], "rng": state["rng"],
           "d_hist": state["d_hist"], "g_hist": state["g_hist"]}
    for net in ("g_opt", "d_opt"):
        for key, value in state[net].items():
            out[f"{net}.{key}"] = torch.as_tensor(value)
    for s in state["snapshots"]:
        out[f"snapshot {s['step']}"] = s["samples"]
    return out


@pytest.mark.parametrize("name", sorted(RESUMABLE))
def test_stop_and_resume_is_bit_identical_to_a_straight_run(name, tmp_path):
    cfg = RESUMABLE[name]
    straight = GANTrainer(cfg, ring(), [0, 1])
    straight.run(progress=False, snapshot_steps=[0, 3, 6], n_snapshot=50)
    first = GANTrainer(cfg.replace(steps=3), ring(), [0, 1])
    first.run(progress=False, snapshot_steps=[0, 3], n_snapshot=50,
              checkpoint=tmp_path / "ck.pt")
    resumed = GANTrainer(cfg, ring(), [0, 1])
    resumed.load_checkpoint(tmp_path / "ck.pt")
    assert resumed.step_count == 3
    run = resumed.run(progress=False, snapshot_steps=[0, 3, 6], n_snapshot=50)
    a, b = _every_tensor(straight), _every_tensor(resumed)
    assert a.keys() == b.keys() and len(a) >= 10
    for key in a:
        assert torch.equal(a[key], b[key]), key
    assert [s.step for s in run.snapshots] == [0, 3, 6] and run.d_loss.shape == (6, 2)


def test_checkpoints_every_n_steps_are_written_during_the_run(tmp_path):
    cfg = GANConfig(steps=5, **TINY)
    seen = []
    GANTrainer(cfg, ring(), [0]).run(
        progress=False, checkpoint=tmp_path / "ck.pt", checkpoint_every=2,
        callback=lambda t, step: seen.append(
            (step, torch.load(tmp_path / "ck.pt")["step_count"]
             if (tmp_path / "ck.pt").exists() else None)))
    assert seen == [(1, None), (2, None), (3, 2), (4, 2), (5, 4)]
    assert torch.load(tmp_path / "ck.pt", weights_only=True)["step_count"] == 5


def test_a_checkpoint_with_other_settings_is_refused_naming_both_values(tmp_path):
    cfg = GANConfig(steps=4, **TINY)
    GANTrainer(cfg, ring(), [0, 1]).run(progress=False, checkpoint=tmp_path / "ck.pt")
    cases = [
        (GANTrainer(cfg.replace(pack=2), ring(), [0, 1]), "pack = 2 contradicts the "
                                                          "checkpoint's 1"),
        (GANTrainer(cfg.replace(steps=3), ring(), [0, 1]), "steps = 3 is fewer than the "
                                                           "checkpoint's 4"),
        (GANTrainer(cfg, ring(), [0, 2]), r"seeds = \[0, 2\] contradicts the checkpoint's"),
        (GANTrainer(cfg, ring(), [0, 1], lr_d=[1e-3, 2e-3]), "lr_d = "),
        (GANTrainer(cfg, ring(), [0, 1], noise_seed=1), "noise_seed = 1 contradicts"),
    ]
    for trainer, match in cases:
        with pytest.raises(ValueError, match=match):
            trainer.load_checkpoint(tmp_path / "ck.pt")
    noisy = cfg.replace(instance_noise=0.1)
    GANTrainer(noisy, ring(), [0]).run(progress=False, checkpoint=tmp_path / "n.pt")
    with pytest.raises(ValueError, match="instance noise decays over the steps"):
        GANTrainer(noisy.replace(steps=8), ring(), [0]).load_checkpoint(tmp_path / "n.pt")
    grown = GANTrainer(cfg.replace(steps=6), ring(), [0, 1])  # steps may grow
    grown.load_checkpoint(tmp_path / "ck.pt")
    assert grown.run(progress=False).d_loss.shape == (6, 2)


def test_atomic_save_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = save_atomic({"x": torch.ones(2)}, tmp_path / "ck.pt")

    def broken(obj, fh):
        fh.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", broken)
    with pytest.raises(OSError, match="disk full"):
        save_atomic({"x": torch.zeros(2)}, path)
    monkeypatch.undo()
    assert torch.equal(torch.load(path)["x"], torch.ones(2))
    assert [p.name for p in tmp_path.iterdir()] == ["ck.pt"]  # no temporary left
    (tmp_path / "ck.pt.abc123.tmp").write_bytes(b"left by a crash")
    assert [p.name for p in remove_stale_temporaries(tmp_path)] == ["ck.pt.abc123.tmp"]
    assert [p.name for p in tmp_path.iterdir()] == ["ck.pt"]
    (tmp_path / "ck.pt.def456.tmp").write_bytes(b"left by a crash")
    save_atomic({"x": torch.zeros(2)}, path)  # the next save cleans up as well
    assert [p.name for p in tmp_path.iterdir()] == ["ck.pt"]


# -- the command ------------------------------------------------------------------------------
def test_toy_modes_resume_continues_the_saved_run_exactly(tmp_path, capsys):
    common = ["--method", "gan", "--seeds", "2", "--snapshots", "2", "--quiet"]
    straight, part = tmp_path / "straight", tmp_path / "part"
    assert main(["toy", "modes", *common, "--steps", "6", "--out", str(straight)]) == 0
    assert main(["toy", "modes", *common, "--steps", "4", "--checkpoint-every", "2",
                 "--out", str(part)]) == 0
    (part / "checkpoints" / ".ring_gan.pt.x.tmp").write_bytes(b"stale")
    assert main(["toy", "modes", "--out", str(part), "--resume", "--steps", "6",
                 "--quiet"]) == 0
    a = np.load(straight / "ring_gan_snapshots.npz")
    b = np.load(part / "ring_gan_snapshots.npz")
    assert np.array_equal(a["d_loss"], b["d_loss"]) and np.array_equal(a["g_loss"], b["g_loss"])
    assert np.array_equal(a["samples"][-1], b["samples"][-1])
    assert [p.name for p in (part / "checkpoints").iterdir()] == ["ring_gan.pt"]
    capsys.readouterr()
    for argv, message in [
        (["--seeds", "3"], "--seeds 3 contradicts the saved run's 2"),
        (["--steps", "5"], "--steps 5 is fewer than the saved run's 6"),
        (["--method", "pacgan2"], "--method pacgan2 contradicts the saved run's gan"),
        (["--target", "grid"], "--target grid contradicts the saved run's ring"),
    ]:
        assert main(["toy", "modes", "--out", str(part), "--resume", *argv]) == 2
        assert message in capsys.readouterr().err
    assert main(["toy", "modes", "--out", str(tmp_path / "none"), "--resume"]) == 2
    assert "holds no run to resume" in capsys.readouterr().err


def test_progress_bar_shows_seed_steps_per_second_and_time_left(capsys):
    GANTrainer(GANConfig(steps=3, **TINY), ring(), [0, 1]).run(progress=True)
    err = capsys.readouterr().err
    assert "seed-steps/s" in err and "6/6" in err and "<00:00" in err


# -- learning-rate schedules ------------------------------------------------------------------
def test_rate_factor_scales_the_step_and_leaves_lr_alone():
    net = StackedMLP(2, 1, hidden=(4,))
    x = torch.randn(2, 5, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    moved = []
    for factor in (1.0, 0.25):
        params = net.init([0, 1], dtype=torch.float64)
        before = [p.clone() for p in params]
        opt = StackedSGD(params, [0.1, 0.2])
        opt.set_rate_factor(factor)
        opt.step(torch.autograd.grad((net.apply(params, x) ** 2).sum(), params))
        moved.append(torch.cat([(p - b).flatten() for p, b in zip(params, before, strict=True)]))
        assert opt.lr.tolist() == pytest.approx([0.1, 0.2])
    torch.testing.assert_close(moved[1], 0.25 * moved[0], rtol=1e-12, atol=0)


def test_the_trainer_follows_its_schedule_step_by_step(monkeypatch):
    from gantheory.toyconfig import lr_factor

    cfg = GANConfig(steps=5, lr_schedule="cosine", **TINY)
    factors = []
    original = StackedAdam.set_rate_factor

    def record(self, factor):
        factors.append(factor)
        original(self, factor)

    monkeypatch.setattr(StackedAdam, "set_rate_factor", record)
    decayed = GANTrainer(cfg, ring(), [0]).run(progress=False)
    expected = [lr_factor("cosine", t, 5) for t in range(5)]
    assert factors[::2] == expected and factors[1::2] == expected  # D, then G, each step
    assert expected[0] == 1.0 and expected[-1] == pytest.approx(0.5 * (1 + np.cos(0.8 * np.pi)))
    constant = GANTrainer(cfg.replace(lr_schedule="constant"), ring(), [0]).run(progress=False)
    assert np.array_equal(decayed.d_loss[0], constant.d_loss[0])  # step 0: factor 1
    assert not np.array_equal(decayed.d_loss[-1], constant.d_loss[-1])


def test_a_decaying_run_resumes_bit_identically_and_keeps_its_steps(tmp_path):
    cfg = method_config("pacgan2", steps=6, lr_schedule="linear", **TINY)
    straight = GANTrainer(cfg, ring(), [0, 1])
    straight.run(progress=False)

    def interrupt(trainer, step):
        if step == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        GANTrainer(cfg, ring(), [0, 1]).run(progress=False, checkpoint=tmp_path / "ck.pt",
                                            checkpoint_every=3, callback=interrupt)
    resumed = GANTrainer(cfg, ring(), [0, 1])
    resumed.load_checkpoint(tmp_path / "ck.pt")
    assert resumed.step_count == 3
    resumed.run(progress=False)
    a, b = _every_tensor(straight), _every_tensor(resumed)
    for key in a:
        assert torch.equal(a[key], b[key]), key
    with pytest.raises(ValueError, match="linear learning-rate decay is spread over the steps"):
        GANTrainer(cfg.replace(steps=8), ring(), [0, 1]).load_checkpoint(tmp_path / "ck.pt")


def test_toy_modes_saves_lr_and_schedule_and_refuses_to_change_them(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["toy", "modes", "--method", "gan", "--seeds", "1", "--steps", "2",
                 "--snapshots", "2", "--lr", "2e-3", "--lr-schedule", "cosine", "--quiet",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    for argv, message in [
        (["--steps", "4"], "--steps 4 contradicts the saved run's 2: its cosine learning-rate"),
        (["--lr", "1e-3"], "--lr 0.001 contradicts the saved run's 0.002"),
        (["--lr-schedule", "linear"], "--lr-schedule linear contradicts the saved run's cosine"),
    ]:
        assert main(["toy", "modes", "--out", str(out), "--resume", *argv]) == 2
        assert message in capsys.readouterr().err
    assert main(["toy", "modes", "--out", str(out), "--resume", "--quiet"]) == 0
    assert main(["toy", "modes", "--lr", "0", "--out", str(out)]) == 2
    assert "--lr" in capsys.readouterr().err
