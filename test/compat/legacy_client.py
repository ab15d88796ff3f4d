"""A client of the legacy service's telemetry API, written the way the legacy API's own clients are:
`requests`, a session with `Authorization: Bearer`, query parameters as given, form-encoded
report requests, JSON config updates, and the legacy client's default arguments (a 24-hour report,
12 x 8 inch charts, hourly intervals). It raises on HTTP errors and on `success: false`, as the
legacy client does. The compatibility suite drives the real service through it."""

import time

import requests

BASE = "/api/v0/wal/telemetry"


def filter_params(operation_type, backend, status, time_range):
    """The filters as the legacy client sends them: only those given, a range as two epoch seconds."""
    params = {}
    if operation_type:
        params["operation_type"] = operation_type
    if backend:
        params["backend"] = backend
    if status:
        params["status"] = status
    if time_range:
        params["start_time"], params["end_time"] = time_range
    return params


class LegacyClient:
    def __init__(self, base_url, api_key=None, timeout=30):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": "WALTelemetryClient/1.0", "Accept": "application/json"})
        if api_key:
            self.session.headers.update({"Authorization": f"Bearer {api_key}"})

    def request(self, method, endpoint, params=None, data=None, json_data=None):
        response = self.session.request(
            method, f"{self.base_url}{endpoint}", params=params, data=data, json=json_data, timeout=self.timeout
        )
        response.raise_for_status()
        if response.headers.get("Content-Type", "").startswith("application/json"):
            result = response.json()
            if not result.get("success", False):
                raise ValueError(f"API error: {result.get('error', 'Unknown API error')}")
            return result
        return {
            "success": True,
            "content_type": response.headers.get("Content-Type"),
            "content": response.content,
            "status_code": response.status_code,
        }

    def get_metrics(self, metric_type=None, operation_type=None, backend=None, status=None,
                    time_range=None, aggregation=None):
        params = filter_params(operation_type, backend, status, time_range)
        if metric_type:
            params["metric_type"] = metric_type
        if aggregation:
            params["aggregation"] = aggregation
        return self.request("GET", f"{BASE}/metrics", params=params)

    def get_realtime_metrics(self):
        return self.request("GET", f"{BASE}/realtime")

    def generate_report(self, start_time=None, end_time=None):
        if end_time is None:
            end_time = time.time()
        if start_time is None:
            start_time = end_time - 24 * 60 * 60
        return self.request("POST", f"{BASE}/report", data={"start_time": start_time, "end_time": end_time})

    def get_report_file(self, report_id, file_name):
        return self.request("GET", f"{BASE}/reports/{report_id}/{file_name}")

    def get_visualization(self, metric_type, operation_type=None, backend=None, status=None,
                          time_range=None, width=12, height=8):
        params = {"width": width, "height": height, **filter_params(operation_type, backend, status, time_range)}
        return self.request("GET", f"{BASE}/visualization/{metric_type}", params=params)

    def get_config(self):
        return self.request("GET", f"{BASE}/config")

    def update_config(self, enabled=None, metrics_path=None, retention_days=None, sampling_interval=None,
                      enable_detailed_timing=None, operation_hooks=None):
        given = {
            "enabled": enabled,
            "metrics_path": metrics_path,
            "retention_days": retention_days,
            "sampling_interval": sampling_interval,
            "enable_detailed_timing": enable_detailed_timing,
            "operation_hooks": operation_hooks,
        }
        config = {name: value for name, value in given.items() if value is not None}
        return self.request("POST", f"{BASE}/config", json_data=config)

    def get_metrics_over_time(self, metric_type, start_time=None, end_time=None, interval="hour"):
        if end_time is None:
            end_time = time.time()
        if start_time is None:
            start_time = end_time - 24 * 60 * 60
        step = {"hour": 3600, "day": 86400, "week": 604800}[interval]
        series, current = [], start_time
        while current < end_time:
            following = min(current + step, end_time)
            metrics = self.get_metrics(metric_type=metric_type, time_range=(current, following),
                                       aggregation="average")
            series.append({"start_time": current, "end_time": following, "metrics": metrics.get("metrics", {})})
            current = following
        return {"success": True, "metric_type": metric_type, "interval": interval, "time_series": series}

    def monitor_realtime(self, callback, interval=5, duration=None):
        started, iteration = time.time(), 0
        while duration is None or time.time() - started < duration:
            callback(self.get_realtime_metrics(), iteration)
            iteration += 1
            time.sleep(interval)

    def inject_context(self, **body):
        return self.request("POST", f"{BASE}/context/inject", json_data=body)

    def extract_context(self, headers):
        return self.request("POST", f"{BASE}/context/extract", json_data={"headers": headers})
