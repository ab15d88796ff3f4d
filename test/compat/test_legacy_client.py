"""Every call of the legacy API's client, with its default arguments, against the real service
(WAL_TELEMETRY_API_URL, with WAL_TELEMETRY_API_KEY), checking the legacy API's wire format."""

import os
import struct
import time

import pytest
import requests

from legacy_client import LegacyClient

# The legacy API's eight metric types, and the one this service adds (a legacy client asks for a type by
# name, or for all of them and reads the keys it knows).
LEGACY_METRIC_TYPES = ["operation_count", "operation_latency", "success_rate", "error_rate", "backend_health",
                     "throughput", "queue_size", "retry_count"]
METRIC_TYPES = LEGACY_METRIC_TYPES + ["backend_response_time"]


@pytest.fixture(scope="module")
def client():
    return LegacyClient(os.environ["WAL_TELEMETRY_API_URL"], api_key=os.environ.get("WAL_TELEMETRY_API_KEY"))


def png_size(content):
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", content[16:24])


def test_envelope_timestamp_is_epoch_seconds(client):
    result = client.get_realtime_metrics()
    assert result["operation"] == "get_realtime_metrics"
    assert isinstance(result["timestamp"], float)
    assert abs(result["timestamp"] - time.time()) < 60


def test_get_metrics_defaults_and_echo(client):
    result = client.get_metrics()
    assert set(result["metrics"]) == set(METRIC_TYPES)
    assert result["metric_type"] is None and result["aggregation"] is None
    one = client.get_metrics(metric_type="operation_latency", aggregation="percentile_95",
                             time_range=(time.time() - 3600, time.time()))
    assert one["metric_type"] == "operation_latency" and one["aggregation"] == "percentile_95"
    assert one["metrics"]["operation_latency"]["value"] > 0
    assert isinstance(one["time_range"]["start_time"], float)


@pytest.mark.parametrize("status", ["completed", "failed", "pending", "processing", "retrying"])
def test_legacy_statuses_filter(client, status):
    result = client.get_metrics(status=status)
    assert result["filters"]["status"] == status


def test_completed_and_failed_add_up(client):
    # The open aggregation interval counts as soon as it overlaps a range, so a window ending now
    # grows between the three queries. Wait until every interval it overlaps has closed (1 s each
    # here): then all three count the same operations.
    window = (time.time() - 3600, time.time())
    time.sleep(3)
    count = lambda status=None: client.get_metrics(metric_type="operation_count", aggregation="sum",
                                                   status=status, time_range=window)["metrics"]["operation_count"]["value"]
    completed, failed, every = count("completed"), count("failed"), count()
    assert completed > 0 and failed > 0
    # Counts come to nine decimals (a range edge splits an interval in proportion to time), and two
    # such decimals added in binary floating point can differ from the total in the last bit.
    assert completed + failed == pytest.approx(every, rel=0, abs=1e-8)


def test_unknown_status_is_a_clear_400(client):
    with pytest.raises(requests.HTTPError) as raised:
        client.get_metrics(status="exploded")
    assert raised.value.response.status_code == 400
    assert "completed" in raised.value.response.json()["error"]["message"]


def test_realtime_flat_shape(client):
    realtime = client.get_realtime_metrics()
    keys = [key for key in realtime["latency"]]
    assert keys and all(":" in key for key in keys)
    for key in keys:
        stats = realtime["latency"][key]
        assert set(stats) == {"mean", "median", "min", "max", "percentile_95", "percentile_99", "count"}
        if stats["count"] > 0:
            assert stats["min"] <= stats["median"] <= stats["percentile_95"] <= stats["percentile_99"] <= stats["max"]
            assert stats["min"] <= stats["mean"] <= stats["max"]
        assert 0 <= realtime["success_rate"][key] <= 1
        assert realtime["success_rate"][key] + realtime["error_rate"][key] == pytest.approx(1)
        assert realtime["throughput"][key] >= 0
        assert set(realtime["status_distribution"][key]) == {"completed", "failed"}
    # The overall figures the legacy API's documentation reads.
    assert realtime["operation_latency"]["average"] > 0
    assert 0 < realtime["success_rate"]["value"] <= 1
    assert realtime["throughput"]["value"] == pytest.approx(sum(realtime["throughput"][k] for k in keys))


def test_report_with_defaults_and_legacy_file_names(client):
    report = client.generate_report()
    page = client.session.get(report["report_url"], timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert report["report_url"].endswith("/report.html")
    html = client.get_report_file(report["report_id"], "report.html")
    assert html["content_type"].startswith("text/html")
    for metric_type in METRIC_TYPES:
        chart = client.get_report_file(report["report_id"], f"{metric_type}.png")
        png_size(chart["content"])


def test_visualization_with_defaults_is_12_by_8_inches(client):
    for metric_type in METRIC_TYPES:
        result = client.get_visualization(metric_type)
        assert result["content_type"] == "image/png"
        assert png_size(result["content"]) == (1200, 800)
    assert png_size(client.get_visualization("throughput", width="800px", height="400px")["content"]) == (800, 400)


def test_config_round_trip_and_restart_warning(client):
    config = client.get_config()["config"]
    for field in ["enabled", "metrics_path", "retention_days", "sampling_interval", "enable_detailed_timing",
                  "operation_hooks"]:
        assert field in config
    result = client.update_config(enabled=True, metrics_path="/tmp/elsewhere", retention_days=3,
                                  sampling_interval=config["sampling_interval"], enable_detailed_timing=True,
                                  operation_hooks=not config["operation_hooks"])
    assert "cannot be updated without restarting: operation_hooks" in result["warning"]
    assert result["restart_required"] == ["operation_hooks"]
    assert result["not_applied"] == ["metrics_path"]
    assert result["config"]["metrics_path"] != "/tmp/elsewhere"
    assert result["config"]["retention_days"] == 3
    client.update_config(operation_hooks=config["operation_hooks"], retention_days=config["retention_days"])


def test_metrics_over_time_hourly_for_a_day(client):
    series = client.get_metrics_over_time("throughput")
    assert len(series["time_series"]) == 24
    assert series["time_series"][-1]["metrics"]["throughput"]["value"] > 0


def test_monitor_realtime_reads_per_key_figures(client):
    seen = []
    client.monitor_realtime(lambda metrics, i: seen.append((i, metrics)), interval=0.5, duration=1.2)
    assert len(seen) >= 2
    for _, metrics in seen:
        for section in ["latency", "success_rate", "error_rate", "throughput"]:
            assert isinstance(metrics[section], dict) and metrics[section]


def test_context_inject_extract_round_trip(client):
    injected = client.inject_context(trace_id="4bf92f3577b34da6a3ce929d0e0e4736", span_id="00f067aa0ba902b7",
                                     sampled=True, formats=["b3"])
    extracted = client.extract_context(injected["headers"])["context"]
    assert extracted["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert extracted["sampled"] is True


def test_api_key_is_required_on_writes(client):
    anonymous = LegacyClient(client.base_url)
    with pytest.raises(requests.HTTPError) as raised:
        anonymous.update_config(retention_days=2)
    assert raised.value.response.status_code == 401
