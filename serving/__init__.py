"""Serving the app outside the app: start it as a real server, run the deployed topology on one machine, and the
process helpers both share.

    launcher   one `streamlit run` on a free loopback port: health wait, process-group stop (AppServer, serve)
    cluster    N replicas behind Debian's HAProxy with deploy/haproxy.cfg (what scripts/run-cluster runs)
    process    free ports, process-group stop, /proc readings (CPU, memory, run-queue wait)
    browser    the system Chromium for Playwright (never a downloaded browser)

It sits beside the app (dashboard/), not in it, so the app never carries its own test and deploy tooling, and
beside the load generator (loadtest/), which uses it like the tests, the benchmarks and the scripts do. It imports
only dashboard.settings (every environment read goes through it) and dashboard.cli (how every entry point behaves)
from the app, both standing alone at the bottom of it, and never Streamlit, so importing it costs nothing.
"""
