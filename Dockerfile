# fleetmock: the simulator on every interface of the container, port 8080.
FROM python:3.11-slim
# EXTRAS=postgres adds the PostgreSQL driver (compose.yaml builds it so).
ARG EXTRAS=""

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY mockserver ./mockserver
COPY contracts ./contracts
COPY fleetmock_resources ./fleetmock_resources
COPY specs ./specs
COPY fixtures ./fixtures
RUN pip install ".${EXTRAS:+[$EXTRAS]}" && useradd --create-home --uid 10001 fleetmock && rm -rf /src

USER fleetmock
WORKDIR /home/fleetmock
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/_sim/health', timeout=2).status != 200)"
ENTRYPOINT ["fleetmock", "serve", "--host", "0.0.0.0", "--port", "8080"]
