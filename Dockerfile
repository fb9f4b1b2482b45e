# Felt in production: the PWA is built in a Node stage, then served by a slim Python image
# that also carries tesseract with Danish data for receipt OCR. No demo log-in here.
#   docker build -t felt .
#   docker run -p 8000:8000 -e FELT_DATABASE_URL=postgresql://felt@db/felt -e FELT_SECRET_KEY=... felt

FROM node:20-bookworm-slim AS pwa
WORKDIR /src/pwa
COPY pwa/package.json pwa/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY pwa/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-dan tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN pip install --no-cache-dir uv==0.13.9 \
    && uv sync --frozen --no-dev --no-install-project \
    && pip uninstall -y uv
COPY alembic.ini ./
COPY backend/ backend/
COPY sync/ sync/
COPY ocr/ ocr/
COPY --from=pwa /src/pwa/dist pwa/dist
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/felt felt
USER felt
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FELT_DATA_DIR=/var/lib/felt \
    FELT_PWA_DIST=/app/pwa/dist \
    HOST=0.0.0.0 \
    PORT=8000 \
    WORKERS=2
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/api/health')"
# Migrations run on every start (a no-op when the schema is current), then the server. Each app
# process also runs background jobs (OCR); more workers: the same image with `python -m backend worker`.
CMD ["sh", "-c", "python -m backend migrate && exec python -m backend serve --workers \"$WORKERS\""]
