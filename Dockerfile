# modugil web image; docker-compose.yml pairs it with the postgis/postgis database image.
FROM python:3.11-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      gdal-bin libgeos-c1v5 libproj25 gettext nodejs npm postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
RUN bin/modugil install
ENV MODUGIL_HOST=0.0.0.0
EXPOSE 8000
CMD ["bin/modugil", "run"]
