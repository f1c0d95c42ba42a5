"""The protocol-level load generator: Streamlit's protocol spoken without a browser (protocol.py), Locust users
built on it (locustfile.py) and the load run (run.py), which starts the cluster from serving/."""
