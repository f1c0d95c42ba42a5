"""Load and cluster tooling: the local cluster (cluster.py, standard library only), Streamlit's protocol
spoken without a browser (protocol.py), Locust users built on it (locustfile.py) and the load run (run.py)."""
