# The collab app image (used by docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY collab ./collab
COPY seeds ./seeds
# the user manual the app serves from its Help menu
COPY docs/manual ./docs/manual
ENV COLLAB_MANUAL_DIR=/app/docs/manual
RUN pip install --no-cache-dir . && useradd --create-home collab \
    && mkdir -m 700 /keys && chown collab /keys
USER collab
EXPOSE 5000
CMD ["collab", "status"]
