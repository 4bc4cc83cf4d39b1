r"""
DCGAN's architecture, layer by layer, with its shapes
=====================================================

DCGAN (Radford et al. 2016, Sec. 3) builds the generator from transposed convolutions and
the discriminator from strided convolutions, with no pooling and no fully connected hidden
layers. A kernel :math:`k`, stride :math:`s` and padding :math:`p` map a side :math:`n` to

.. math::

    n_\text{conv} = \Bigl\lfloor \frac{n + 2p - k}{s} \Bigr\rfloor + 1,
    \qquad
    n_\text{transposed} = (n - 1)\,s - 2p + k,

so :math:`k = 4, s = 2, p = 1` halves a side (convolution) or doubles it (transposed), and
:math:`k = 4, s = 1, p = 0` takes a :math:`1 \times 1` latent to :math:`4 \times 4` and back.
Here a tensor runs through :class:`gantheory.nets.DCGANGenerator` and
:class:`gantheory.nets.DCGANDiscriminator` one layer at a time, and each shape is checked
against the formula.

Theory: :doc:`/theory/practice`.
"""

# %%
# The two networks
# ----------------
# The 32-pixel pair with DCGAN's width 64 and a 100-d latent (Radford et al. 2016, Sec. 4),
# for colour images. Both are built at full size: no training here, one forward pass.
import matplotlib.pyplot as plt
import torch
from torch import nn

from gantheory import plotting
from gantheory.nets import DCGANDiscriminator, DCGANGenerator

plotting.use_style()
torch.manual_seed(0)
G = DCGANGenerator(latent_dim=100, image_size=32, channels=3, width=64)
D = DCGANDiscriminator(image_size=32, channels=3, width=64)


def side_after(layer, n):
    """The formula above for a (transposed) convolution; other layers keep the side."""
    if not isinstance(layer, nn.Conv2d | nn.ConvTranspose2d):
        return n
    k, s, p = layer.kernel_size[0], layer.stride[0], layer.padding[0]
    if isinstance(layer, nn.ConvTranspose2d):
        return (n - 1) * s - 2 * p + k
    return (n + 2 * p - k) // s + 1


def trace(layers, x):
    """Run ``x`` through ``layers`` one at a time; one row per layer: name, shape, parameters."""
    rows = [("input", tuple(x.shape[1:]), 0)]
    for layer in layers:
        predicted = side_after(layer, x.shape[-1])
        x = layer(x)
        assert x.shape[-1] == predicted, (layer, x.shape, predicted)
        rows.append((type(layer).__name__, tuple(x.shape[1:]),
                     sum(p.numel() for p in layer.parameters())))
    return rows, x


# %%
# The generator: z of shape (100,) -> a 3 x 32 x 32 image
# -------------------------------------------------------
# ``G.net`` holds the layers; the forward pass views :math:`z` as a :math:`100 \times 1 \times
# 1` map first and ends in ``tanh`` (images in [-1, 1]). The discriminator is ``D.body`` then
# ``D.head``, a :math:`4 \times 4` convolution to one logit per image (no sigmoid: the losses
# take logits). The parameters of a convolution are :math:`k^2 C_\text{in} C_\text{out}`
# (no bias before a BatchNorm, which has its own shift).
G.eval()
D.eval()
with torch.no_grad():
    z = torch.randn(2, 100)
    g_rows, image = trace([*G.net, nn.Tanh()], z[:, :, None, None])
    assert torch.equal(image, G(z))  # the layers are the whole forward pass
    d_rows, logit = trace([*D.body, D.head], image)
for title, rows in (("generator", g_rows), ("discriminator", d_rows)):
    print(f"{title}:")
    for name, shape, n_params in rows:
        print(f"  {name:16s} {str(shape):16s} {n_params:>9,d} parameters")
print(f"G: {sum(p.numel() for p in G.parameters()):,d} parameters; "
      f"D: {sum(p.numel() for p in D.parameters()):,d}; image {tuple(image.shape)}, "
      f"logits {tuple(logit.flatten(1).shape)}, values in [{image.min():.2f}, {image.max():.2f}]")

# %%
# The blocks, drawn
# -----------------
# One box per (transposed) convolution output: its height is the side of the feature map, its
# width grows with the number of channels; the generator runs left to right from the latent,
# the discriminator from the image to its single logit.
fig, axes = plt.subplots(2, 1, figsize=(9.0, 4.6), layout="constrained")
for ax, rows, colour, title in ((axes[0], g_rows, plotting.GENERATOR, "generator G(z)"),
                                (axes[1], d_rows, plotting.DISCRIMINATOR,
                                 "discriminator D(x): one logit")):
    boxes = [(name, shape) for name, shape, _ in rows if name in ("input", "Conv2d",
                                                                  "ConvTranspose2d")]
    left = 0.0
    for name, (channels, height, _) in boxes:
        width = 0.6 + 0.25 * channels.bit_length()
        ax.add_patch(plt.Rectangle((left, -height / 2), width, height, facecolor=colour,
                                   alpha=0.25 + 0.5 * (name != "input"), edgecolor="black"))
        ax.text(left + width / 2, height / 2 + 1.0, f"{channels}x{height}x{height}",
                ha="center", fontsize=7)
        ax.text(left + width / 2, -height / 2 - 2.5, name.replace("Transpose", "T"),
                ha="center", fontsize=6)
        left += width + 1.2
    ax.set(xlim=(-0.5, left), ylim=(-20, 20), title=title)
    ax.set_axis_off()
plt.show()
