FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md requirements.lock ./
COPY bookline ./bookline
COPY engine ./engine
COPY bot ./bot
COPY webhooks ./webhooks
COPY admin_api ./admin_api
COPY workers ./workers
# The sandbox's fake providers: installed, but served only with BOOKLINE_SANDBOX=1.
COPY fakeproviders ./fakeproviders
RUN pip install -c requirements.lock .

RUN useradd --create-home bookline
USER bookline
EXPOSE 8000
CMD ["bookline", "serve", "--host", "0.0.0.0", "--port", "8000"]
