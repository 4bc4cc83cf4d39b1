"""Gradient penalties (per sample), weight clipping, instance noise, labels, conditional pairs."""

import math

import numpy as np
import pytest
import torch

from gantheory import losses
from gantheory.losses import penalties as P

torch.manual_seed(0)


class Quadratic(torch.nn.Module):
    """f(x) = 1/2 |x|^2 per sample: its gradient at x_i is x_i, of norm |x_i|."""

    def forward(self, x):
        return 0.5 * x.reshape(x.shape[0], -1).pow(2).sum(dim=1)


class Recorder(Quadratic):
    """A quadratic critic that remembers the points it was evaluated at."""

    def forward(self, x):
        self.seen = x.detach().clone()
        return super().forward(x)


def test_per_sample_norms_not_whole_batch():
    x = torch.tensor([[3.0, 4.0], [0.0, 1.0]], requires_grad=True)
    norms = P.per_sample_grad_norm(Quadratic(), x)
    assert norms.tolist() == [5.0, 1.0]
    assert float(P.r1_penalty(Quadratic(), x, gamma=2.0).detach()) == pytest.approx((25 + 1) / 2)
    # real = fake: the interpolates are x whatever the epsilons.
    gp = float(P.gradient_penalty(Quadratic(), x, x, weight=1.0).detach())
    assert gp == pytest.approx(((5 - 1) ** 2 + (1 - 1) ** 2) / 2)  # 8
    whole_batch = (math.sqrt(26.0) - 1) ** 2  # (|grad_X sum_i f(x_i)| - 1)^2 = 16.8
    assert abs(gp - whole_batch) > 8


def test_gradient_penalty_has_one_epsilon_per_sample_on_the_segment():
    real = torch.randn(16, 2, 3, dtype=torch.float64)
    fake = torch.randn(16, 2, 3, dtype=torch.float64)
    critic = Recorder()
    value = P.gradient_penalty(critic, real, fake, weight=1.0,
                               generator=torch.Generator().manual_seed(1))
    seen = critic.seen
    # x_hat_i - fake_i = eps_i (real_i - fake_i): one scalar eps_i per sample, in [0, 1].
    diff, span = (seen - fake).reshape(16, -1), (real - fake).reshape(16, -1)
    eps = (diff * span).sum(1) / (span * span).sum(1)
    torch.testing.assert_close(diff, eps[:, None] * span)
    assert bool(((eps >= 0) & (eps <= 1)).all()) and float(eps.std()) > 0.1
    expected = (seen.reshape(16, -1).norm(dim=1) - 1).pow(2).mean()
    torch.testing.assert_close(value.detach(), expected)


def test_gradient_penalty_reproduces_its_draws():
    real, fake = torch.zeros(4, 2, 3), torch.ones(4, 2, 3)
    eps = torch.rand((4, 1, 1), generator=torch.Generator().manual_seed(1))
    expected = ((1 - eps.flatten()) * 6**0.5 - 1).pow(2).mean()
    value = P.gradient_penalty(Quadratic(), real, fake, weight=1.0,
                               generator=torch.Generator().manual_seed(1))
    assert float(value.detach()) == pytest.approx(float(expected), rel=1e-6)


def test_one_sided_and_target():
    linear = torch.nn.Linear(3, 1, bias=False)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[0.3, 0.0, 0.4]]))  # gradient norm 0.5
    real, fake = torch.randn(5, 3), torch.randn(5, 3)

    def gp(**kw):
        return float(P.gradient_penalty(linear, real, fake, weight=1.0, **kw).detach())

    assert gp() == pytest.approx(0.25)
    assert gp(one_sided=True) == 0.0
    assert gp(target=0.5) == pytest.approx(0, abs=1e-12)
    assert gp(target=0.2, one_sided=True) == pytest.approx(0.09)


def test_penalties_are_differentiable_in_the_critic():
    net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    real = torch.randn(6, 2, requires_grad=True)
    for value in (P.gradient_penalty(net, real, torch.randn(6, 2)), P.r1_penalty(net, real),
                  P.r2_penalty(net, real), P.dragan_penalty(net, real.detach())):
        # The penalty depends on the weights (the output bias does not change a gradient in x).
        (grad,) = torch.autograd.grad(value, net[0].weight, retain_graph=True)
        assert torch.isfinite(grad).all() and float(grad.abs().sum()) > 0


def test_linear_critic_penalty_gradient_is_analytic():
    # f(x) = w.x: penalty lambda (|w| - 1)^2, gradient 2 lambda (|w| - 1) w / |w|.
    w = torch.tensor([0.6, 0.0, 1.2], dtype=torch.float64, requires_grad=True)
    real, fake = torch.randn(7, 3, dtype=torch.float64), torch.randn(7, 3, dtype=torch.float64)
    value = P.gradient_penalty(lambda x: x @ w, real, fake, weight=10.0)
    (grad,) = torch.autograd.grad(value, w)
    norm = w.detach().norm()
    torch.testing.assert_close(grad, 20.0 * (norm - 1) * w.detach() / norm)


def test_gradcheck_float64_in_the_critic_weights():
    real = torch.randn(5, 3, dtype=torch.float64)
    fake = torch.randn(5, 3, dtype=torch.float64)
    w0 = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)

    def critic(w):
        return lambda x: torch.tanh(x @ w).sum(dim=1)

    def gp(w):
        return P.gradient_penalty(critic(w), real, fake,
                                  generator=torch.Generator().manual_seed(3))

    def r1(w):
        return P.r1_penalty(critic(w), real.clone().requires_grad_(True))

    def r2(w):
        return P.r2_penalty(critic(w), fake.clone().requires_grad_(True))

    def dragan(w):
        return P.dragan_penalty(critic(w), real, generator=torch.Generator().manual_seed(3))

    for fn in (gp, r1, r2, dragan):
        assert torch.autograd.gradcheck(fn, (w0,)), fn.__name__


def test_reduction_is_the_batch_mean():
    x = torch.randn(6, 4)
    one = P.r1_penalty(Quadratic(), x.clone().requires_grad_(True))
    two = P.r1_penalty(Quadratic(), x.repeat(2, 1).requires_grad_(True))
    torch.testing.assert_close(one, two)
    gp1 = P.gradient_penalty(Quadratic(), x, x)  # interpolates = x whatever the epsilons
    gp2 = P.gradient_penalty(Quadratic(), x.repeat(3, 1), x.repeat(3, 1))
    torch.testing.assert_close(gp1, gp2)


def test_bf16_autocast_penalty_in_float32():
    net = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    real, fake = torch.randn(16, 3), torch.randn(16, 3)
    reference = P.gradient_penalty(net, real, fake, generator=torch.Generator().manual_seed(0))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        value = P.gradient_penalty(net, real, fake, generator=torch.Generator().manual_seed(0))
    assert value.dtype == torch.float32
    assert float(value.detach()) == pytest.approx(float(reference.detach()), rel=5e-2)


def test_bad_input():
    with pytest.raises(ValueError, match="real must require grad"):
        P.r1_penalty(Quadratic(), torch.randn(3, 2))
    with pytest.raises(ValueError, match="fake must require grad"):
        P.r2_penalty(Quadratic(), torch.randn(3, 2))
    with pytest.raises(ValueError, match="real and fake must have the same shape"):
        P.gradient_penalty(Quadratic(), torch.randn(3, 2), torch.randn(4, 2))
    with pytest.raises(TypeError, match="real must be a floating-point tensor"):
        P.gradient_penalty(Quadratic(), torch.ones(3, 2, dtype=torch.long), torch.randn(3, 2))
    with pytest.raises(ValueError, match="critic must return one output per sample"):
        P.r1_penalty(lambda x: x.sum(), torch.randn(3, 2, requires_grad=True))
    with pytest.raises(ValueError, match="critic must return one output per sample"):
        P.r1_penalty(lambda x: x, torch.randn(3, 2, requires_grad=True))
    with pytest.raises(ValueError, match="weight must be >= 0"):
        P.gradient_penalty(Quadratic(), torch.randn(3, 2), torch.randn(3, 2), weight=-1.0)
    with pytest.raises(TypeError, match="labels must be an integer tensor"):
        P.mismatched_labels(torch.zeros(3), 10)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 9\]"):
        P.mismatched_labels(torch.tensor([10]), 10)
    with pytest.raises(ValueError, match="clip must be > 0"):
        P.clip_weights(torch.nn.Linear(2, 2), 0.0)
    with pytest.raises(ValueError, match="schedule must be"):
        P.instance_noise_std(1, 10, schedule="step")


def test_noise_and_labels():
    assert P.instance_noise_std(25, 100, start=2.0) == 1.5
    cosine = [P.instance_noise_std(t, 10, schedule="cosine") for t in range(12)]
    assert cosine[0] == 1.0 and cosine[10] == cosine[11] == pytest.approx(0.0, abs=1e-15)
    assert all(a >= b for a, b in zip(cosine, cosine[1:], strict=False))
    assert cosine[5] == pytest.approx(0.5)
    x = torch.zeros(10_000, 2)
    noisy = P.add_instance_noise(x, 0.5, generator=torch.Generator().manual_seed(0))
    assert float(noisy.std()) == pytest.approx(0.5, rel=0.03)  # s.e. of a std ~ 0.7 %
    assert P.smooth_labels(3, like=x).tolist() == pytest.approx([0.9, 0.9, 0.9])
    targets = torch.ones(20_000)
    flipped = P.flip_labels(targets, 0.1, generator=torch.Generator().manual_seed(0))
    assert float(1 - flipped.mean()) == pytest.approx(0.1, abs=0.01)  # s.e. 0.002
    assert set(flipped.unique().tolist()) == {0.0, 1.0}


def test_smoothed_and_flipped_targets_feed_the_bce_loss():
    real, fake = torch.randn(8), torch.randn(8)
    smooth = losses.bce_d_loss(real, fake, real_targets=P.smooth_labels(8, 0.9, like=real))
    torch.testing.assert_close(smooth, losses.bce_d_loss(real, fake, real_targets=0.9))
    flipped = P.flip_labels(torch.ones(8), 1.0)
    torch.testing.assert_close(losses.bce_d_loss(real, fake, real_targets=flipped),
                               losses.bce_d_loss(real, fake, real_targets=0.0))


def test_mismatched_labels_are_uniform_over_the_wrong_classes():
    y = torch.randint(0, 10, (20_000,), generator=torch.Generator().manual_seed(0))
    wrong = P.mismatched_labels(y, 10, generator=torch.Generator().manual_seed(1))
    assert bool((wrong != y).all()) and int(wrong.max()) < 10 and int(wrong.min()) >= 0
    assert wrong.dtype == y.dtype
    shift = ((wrong - y) % 10).bincount(minlength=10).double() / len(y)
    assert float(shift[0]) == 0.0
    assert torch.allclose(shift[1:], torch.full((9,), 1 / 9, dtype=torch.float64), atol=0.01)


def test_mismatched_conditions_is_a_derangement():
    c = torch.arange(50.0)[:, None].repeat(1, 3)
    for seed in range(5):
        out = P.mismatched_conditions(c, generator=torch.Generator().manual_seed(seed))
        assert bool((out[:, 0] != c[:, 0]).all())
        assert sorted(out[:, 0].tolist()) == c[:, 0].tolist()  # a permutation of the rows
    with pytest.raises(ValueError, match="at least 2 samples"):
        P.mismatched_conditions(torch.zeros(1, 4))


def test_clip_weights():
    net = torch.nn.Linear(4, 4)
    with torch.no_grad():
        net.weight.fill_(3.0)
        net.bias.fill_(-3.0)
    P.clip_weights(net, 0.01)
    assert float(net.weight.detach().max()) == pytest.approx(0.01)
    assert float(net.bias.detach().min()) == pytest.approx(-0.01)


def test_dragan_uses_the_batch_std_perturbation():
    real = torch.randn(6, 2, dtype=torch.float64)
    critic = Recorder()
    P.dragan_penalty(critic, real, generator=torch.Generator().manual_seed(0))
    delta = (critic.seen - real) / (0.5 * real.std())
    assert bool(((delta >= 0) & (delta <= 1)).all())
    assert float(delta.std()) > 0.1  # u is drawn per element


def test_dragan_needs_two_samples_and_infinite_weights_are_refused():
    critic = lambda x: x.sum(dim=1)  # noqa: E731
    with pytest.raises(ValueError, match="at least 2 samples"):
        losses.dragan_penalty(critic, torch.randn(1, 3))
    with pytest.raises(ValueError, match="weight must be a finite number"):
        losses.gradient_penalty(critic, torch.randn(4, 3), torch.randn(4, 3),
                                weight=float("inf"))


# -- a critic that is not differentiable in its input, non-finite and other bad input ----------
class Detaching(torch.nn.Module):
    """A critic that detaches its input: it has parameters but no gradient in x."""

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)

    def forward(self, x):
        return self.linear(x.detach())[:, 0]


def test_a_critic_that_detaches_its_input_is_named():
    """Before: torch's raw "element 0 of tensors does not require grad" (or "not used")."""
    x, y = torch.randn(4, 2), torch.randn(4, 2)
    no_grad_at_all = lambda t: t.detach().sum(dim=1)  # noqa: E731
    for critic in (Detaching(), no_grad_at_all):
        with pytest.raises(ValueError, match="critic must be differentiable in its input"):
            P.gradient_penalty(critic, x, y)
        with pytest.raises(ValueError, match="critic must be differentiable in its input"):
            P.per_sample_grad_norm(critic, x.clone().requires_grad_())
        with pytest.raises(ValueError, match="critic must be differentiable in its input"):
            P.r1_penalty(critic, x.clone().requires_grad_())
        with pytest.raises(ValueError, match="critic must be differentiable in its input"):
            P.r2_penalty(critic, y.clone().requires_grad_())
        with pytest.raises(ValueError, match="critic must be differentiable in its input"):
            P.dragan_penalty(critic, x)
    with torch.no_grad(), pytest.raises(ValueError, match=r"critic must be differ.*no_grad"):
        P.gradient_penalty(Quadratic(), x, y)


def test_critic_that_is_not_a_function_of_tensors():
    x = torch.randn(3, 2)
    with pytest.raises(TypeError, match="critic must be callable"):
        P.gradient_penalty(None, x, x)
    with pytest.raises(TypeError, match="critic must return a floating-point tensor; got torch"):
        P.gradient_penalty(lambda t: (t > 0).sum(dim=1), x, x)
    with pytest.raises(TypeError, match="critic must return a torch.Tensor; got list"):
        P.r1_penalty(lambda t: [0.0], x.clone().requires_grad_())


def test_non_finite_points_are_named():
    bad = torch.randn(4, 3)
    bad[1, 2] = math.nan
    ok = torch.randn(4, 3)
    with pytest.raises(ValueError, match=r"fake is not finite: it contains NaN at index \(1, 2\)"):
        P.gradient_penalty(Quadratic(), ok, bad)
    with pytest.raises(ValueError, match=r"real is not finite: it contains NaN at index \(1, 2\)"):
        P.r1_penalty(Quadratic(), bad.clone().requires_grad_())
    with pytest.raises(ValueError, match=r"fake is not finite: it contains NaN at index \(1, 2\)"):
        P.r2_penalty(Quadratic(), bad.clone().requires_grad_())
    with pytest.raises(ValueError, match=r"real is not finite: it contains NaN at index \(1, 2\)"):
        P.dragan_penalty(Quadratic(), bad)
    with pytest.raises(ValueError, match=r"x is not finite: it contains NaN at index \(1, 2\)"):
        P.add_instance_noise(bad, 0.1)
    with pytest.raises(ValueError, match=r"targets is not finite: it contains NaN at index 0"):
        P.flip_labels(torch.tensor([math.nan, 1.0]), 0.5)
    # Without the check a linear critic's penalty ignores the NaN point, as torch computes it.
    linear = lambda t: t @ torch.tensor([3.0, 0.0, 4.0])  # noqa: E731
    assert float(P.gradient_penalty(linear, ok, bad, weight=1.0, check_finite=False)) == 16.0


def test_weights_and_flags_are_checked():
    x = torch.randn(4, 3)
    for weight in (-1.0, math.nan):
        with pytest.raises(ValueError, match="weight must be"):
            P.gradient_penalty(Quadratic(), x, x, weight=weight)
        with pytest.raises(ValueError, match="weight must be"):
            P.dragan_penalty(Quadratic(), x, weight=weight)
        with pytest.raises(ValueError, match="gamma must be"):
            P.r1_penalty(Quadratic(), x.clone().requires_grad_(), gamma=weight)
    with pytest.raises(TypeError, match="weight must be a real number; got Tensor"):
        P.gradient_penalty(Quadratic(), x, x, weight=torch.tensor(10.0))
    with pytest.raises(TypeError, match="one_sided must be True or False; got 'yes'"):
        P.gradient_penalty(Quadratic(), x, x, one_sided="yes")
    with pytest.raises(TypeError, match="generator must be a torch.Generator or None; got int"):
        P.gradient_penalty(Quadratic(), x, x, generator=0)
    with pytest.raises(TypeError, match="generator must be a torch.Generator or None; got int"):
        P.mismatched_labels(torch.tensor([0, 1]), 3, generator=0)
    with pytest.raises(TypeError, match="like must be a torch.Tensor; got float"):
        P.smooth_labels(3, like=0.0)
    with pytest.raises(ValueError, match="n_classes must be an integer >= 2; got 1"):
        P.mismatched_labels(torch.tensor([0, 0]), 1)


def test_instance_noise_past_the_total_is_annealed_to_zero_on_purpose():
    """A step past the total: the annealing is over and the level stays 0 (documented)."""
    assert P.instance_noise_std(10, 5) == 0.0
    assert P.instance_noise_std(5, 5) == 0.0
    assert P.instance_noise_std(10**9, 5, start=3.0, schedule="cosine") == 0.0
    assert P.instance_noise_std(4, 5) == pytest.approx(0.2)  # not yet 0 one step before
    assert P.instance_noise_std(np.int64(4), np.int64(5)) == pytest.approx(0.2)  # numpy steps
    assert "past the end" in P.instance_noise_std.__doc__.lower()
    with pytest.raises(ValueError, match="step must be an integer >= 0; got -1"):
        P.instance_noise_std(-1, 5)
    with pytest.raises(TypeError, match="step must be an integer; got float 2.5"):
        P.instance_noise_std(2.5, 5)
    with pytest.raises(ValueError, match="total_steps must be an integer >= 1; got 0"):
        P.instance_noise_std(0, 0)
