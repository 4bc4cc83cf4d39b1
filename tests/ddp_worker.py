"""Run by tests/test_images_distributed.py under torchrun: train, then save this rank's state."""

import sys
from pathlib import Path

import torch
import torch.distributed as dist

from gantheory.images.data import shapes
from gantheory.images.models.base import create
from gantheory.images.trainer import ImageTrainer


def main(out: str, model: str) -> None:
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    image_model = create(model, steps=3, image_size=32, latent_dim=4, width=4, batch_size=8,
                         sample_every=3, checkpoint_every=3)
    data = shapes(64, image_size=32, seed=0)
    nets = image_model.build(data).networks
    def parameters():  # weights only: BatchNorm's running statistics are rank 0's, broadcast
        return {k: {n: p.detach().clone() for n, p in m.named_parameters()}
                for k, m in nets.items()}

    initial = parameters()
    trainer = ImageTrainer(image_model, data, Path(out) / "run")
    losses = []
    while trainer.step < trainer.config.steps:
        losses.append({k: float(v) for k, v in trainer.train_step().items()})
    torch.save({"initial": initial, "final": parameters(),
                "losses": losses, "world_size": trainer.world_size},
               Path(out) / f"rank{rank}.pt")
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
