# clearance's HTTP service: `clearance serve` over the list store in the volume /data.
#
#   docker build -t clearance .
#   docker volume create clearance-data
#   docker run --rm -v clearance-data:/data clearance clearance lists update        # the lists, once
#   docker run --rm -v clearance-data:/data clearance clearance keys create --role screen
#   docker run -d -p 127.0.0.1:8000:8000 -v clearance-data:/data --name clearance clearance
#
# The index of the lists is a file in /data that every worker maps: 2 workers share one copy of it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /build
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install '.[postgresql]' \
    && cd / && rm -rf /build \
    && useradd --system --uid 10001 --no-create-home --home-dir /data --shell /usr/sbin/nologin clearance \
    && mkdir -p /data && chown clearance:clearance /data

ENV CLEARANCE_HOME=/data
VOLUME ["/data"]
WORKDIR /data
USER clearance
EXPOSE 8000

# No curl in the slim image: Python's own urllib asks /healthz (the process answers; /readyz says whether
# a list version is loaded, which a fresh volume has not).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["clearance", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
