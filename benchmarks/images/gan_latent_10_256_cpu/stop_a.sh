#!/bin/bash
# stop the first sweep once it has measured latent 10 (latent 256 trains in its own folder)
while ! grep -q "latent   10:" gan_latent.log; do sleep 10; done
pkill -f "latents 10 256"; date; echo stopped A
