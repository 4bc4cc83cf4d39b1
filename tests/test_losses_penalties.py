import pytest
import torch

from gantheory.losses import penalties as P

torch.manual_seed(0)


class Quadratic(torch.nn.Module):
    """f(x) = 1/2 |x|^2 summed per sample: its gradient at x_i is x_i, norm |x_i|."""

    def forward(self, x):
        return 0.5 * x.reshape(x.shape[0], -1).pow(2).sum(dim=1)


def test_per_sample_norms_not_whole_batch():
    x = torch.tensor([[3.0, 4.0], [0.0, 1.0]], requires_grad=True)
    norms = P.per_sample_grad_norm(Quadratic(), x)
    assert norms.tolist() == [5.0, 1.0]
    per_sample = P.r1_penalty(Quadratic(), x, gamma=2.0)
    assert float(per_sample.detach()) == pytest.approx((25 + 1) / 2)
    whole_batch = float(torch.tensor([3.0, 4.0, 0.0, 1.0]).norm() ** 2)
    assert float(per_sample.detach()) != pytest.approx(whole_batch)


def test_gradient_penalty_uses_one_epsilon_per_sample():
    real = torch.zeros(4, 2, 3)
    fake = torch.ones(4, 2, 3)
    gen = torch.Generator().manual_seed(1)
    # With the quadratic critic the gradient at x_hat_i = (1 - eps_i) * 1 has norm
    # (1 - eps_i) sqrt(6); reproduce eps with the same generator to check the formula.
    eps = torch.rand((4, 1, 1), generator=torch.Generator().manual_seed(1))
    expected = ((1 - eps.flatten()) * 6**0.5 - 1).pow(2).mean()
    value = P.gradient_penalty(Quadratic(), real, fake, weight=1.0, generator=gen)
    assert float(value.detach()) == pytest.approx(float(expected), rel=1e-6)


def test_one_sided_and_target():
    linear = torch.nn.Linear(3, 1, bias=False)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[0.3, 0.0, 0.4]]))  # gradient norm 0.5
    real, fake = torch.randn(5, 3), torch.randn(5, 3)
    assert float(P.gradient_penalty(linear, real, fake, weight=1.0).detach()) == pytest.approx(0.25)
    assert float(P.gradient_penalty(linear, real, fake, weight=1.0, one_sided=True)) == 0.0
    assert float(P.gradient_penalty(linear, real, fake, weight=1.0, target=0.5)) == pytest.approx(0)


def test_penalties_are_differentiable_in_the_critic():
    net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    real = torch.randn(6, 2, requires_grad=True)
    for value in (P.gradient_penalty(net, real, torch.randn(6, 2)), P.r1_penalty(net, real),
                  P.r2_penalty(net, real), P.dragan_penalty(net, real.detach())):
        # The penalty depends on the weights (the output bias does not change a gradient in x).
        (grad,) = torch.autograd.grad(value, net[0].weight, retain_graph=True)
        assert torch.isfinite(grad).all() and float(grad.abs().sum()) > 0


def test_bad_input():
    with pytest.raises(ValueError, match="real must require grad"):
        P.r1_penalty(Quadratic(), torch.randn(3, 2))
    with pytest.raises(ValueError, match="real and fake must have the same shape"):
        P.gradient_penalty(Quadratic(), torch.randn(3, 2), torch.randn(4, 2))
    with pytest.raises(TypeError, match="real must be a floating-point tensor"):
        P.gradient_penalty(Quadratic(), torch.ones(3, 2, dtype=torch.long), torch.randn(3, 2))
    with pytest.raises(ValueError, match="critic must return one output per sample"):
        P.r1_penalty(lambda x: x.sum(), torch.randn(3, 2, requires_grad=True))
    with pytest.raises(TypeError, match="labels must be an integer tensor"):
        P.mismatched_labels(torch.zeros(3), 10)


def test_noise_and_labels():
    assert P.instance_noise_std(25, 100, start=2.0) == 1.5
    x = torch.zeros(10_000, 2)
    noisy = P.add_instance_noise(x, 0.5, generator=torch.Generator().manual_seed(0))
    assert float(noisy.std()) == pytest.approx(0.5, rel=0.03)  # s.e. of a std ~ 0.7 %
    assert P.smooth_labels(3, like=x).tolist() == pytest.approx([0.9, 0.9, 0.9])
    targets = torch.ones(20_000)
    flipped = P.flip_labels(targets, 0.1, generator=torch.Generator().manual_seed(0))
    assert float(1 - flipped.mean()) == pytest.approx(0.1, abs=0.01)
    y = torch.randint(0, 10, (1000,))
    wrong = P.mismatched_labels(y, 10)
    assert bool((wrong != y).all()) and int(wrong.max()) < 10 and int(wrong.min()) >= 0


def test_clip_weights():
    net = torch.nn.Linear(4, 4)
    with torch.no_grad():
        net.weight.fill_(3.0)
    P.clip_weights(net, 0.01)
    assert float(net.weight.abs().max()) == pytest.approx(0.01)
