# fleetmock: the simulator on every interface of the container, port 8080 (FLEETMOCK_PORT moves it).
# Two stages: the builder installs the locked runtime dependencies (requirements.lock, hashes required) and the
# project into a virtualenv; the runtime stage copies only that virtualenv. No test toolchain, no Schemathesis
# (`fleetmock[verify]` is an extra), no compilers, no pip cache.
#
# The base image is pinned by digest (python:3.11-slim, linux/amd64 and arm64 manifest list). Refresh it with
# `docker buildx imagetools inspect python:3.11-slim` and requirements.lock with `scripts/lock.py` together.
ARG PYTHON_IMAGE=python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7

FROM ${PYTHON_IMAGE} AS build
# The lock includes the postgres extra, so every image serves memory, SQLite and PostgreSQL state; EXTRAS (kept for
# compose files that pass it) adds nothing the lock lacks.
ARG EXTRAS=""
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/fleetmock
WORKDIR /src
COPY requirements.lock ./
RUN /opt/fleetmock/bin/pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY mockserver ./mockserver
COPY contracts ./contracts
COPY fleetmock_resources ./fleetmock_resources
COPY specs ./specs
COPY fixtures ./fixtures
# The project itself, without resolving anything: what it needs came from the lock above (pip check proves it).
RUN /opt/fleetmock/bin/pip install --no-deps . && /opt/fleetmock/bin/pip check \
 && /opt/fleetmock/bin/python -c "import mockserver.app, mockserver.healthcheck"

FROM ${PYTHON_IMAGE} AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="fleetmock" \
      org.opencontainers.image.description="Stateful simulator of Webfleet TachoShare.connect and Verizon Connect Reveal LogBook" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH="/opt/fleetmock/bin:${PATH}" \
    FLEETMOCK_HOST=0.0.0.0 FLEETMOCK_PORT=8080
COPY --from=build /opt/fleetmock /opt/fleetmock
RUN useradd --create-home --uid 10001 fleetmock && mkdir /data && chown fleetmock /data
USER fleetmock
WORKDIR /home/fleetmock
# For --state / FLEETMOCK_STATE=/data/state.sqlite: state and clock that outlive the container.
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD ["python", "-m", "mockserver.healthcheck"]
# Options come from FLEETMOCK_* variables (host and port above) or as arguments: docker run IMAGE --rate 0
ENTRYPOINT ["fleetmock", "serve"]
