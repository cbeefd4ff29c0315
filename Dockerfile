# keras-gan for training and export (CPU). Serving: see serving/Dockerfile.
#
#   docker build -t keras-gan .
#   docker run --rm -v "$PWD/runs:/work/runs" keras-gan train dcgan --data fashion-mnist --out runs/dcgan
#   docker run --rm -v "$PWD/models:/work/models" keras-gan export savedmodel srgan_photos_x4 --out models/sr/1
FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends dataset-fashion-mnist make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /work
COPY pyproject.toml setup.py README.md ./
COPY keras_gan ./keras_gan
RUN pip install --no-cache-dir .
ENV KERAS_GAN_CACHE_DIR=/work/.cache/keras_gan
ENTRYPOINT ["keras-gan"]
CMD ["--help"]
