"""Distributed inference workers: the scheduler pushes batches over ZeroMQ."""

import pickle
import socket
from multiprocessing.connection import Client, Listener

import zmq

SCHEDULER = "tcp://scheduler:5555"
AUTHKEY = b"replace-me-from-vault"


def zmq_worker() -> None:
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PULL)
    sock.connect(SCHEDULER)
    while True:
        batch = sock.recv_pyobj()  # expect: AIW-PY015
        meta = sock.recv_json()  # ok: AIW-PY015
        print(len(batch), meta)


def raw_socket_worker(port: int) -> None:
    srv = socket.create_server(("", port))
    conn, _ = srv.accept()
    payload = conn.recv(65536)
    job = pickle.loads(payload)  # expect: AIW-PY015; allow: AIW-PY002
    conn.sendall(pickle.dumps({"ok": True, "id": job["id"]}))  # ok: AIW-PY015


def control_listener() -> None:
    with Listener(("0.0.0.0", 6000)) as listener:  # expect: AIW-PY015; allow: AIW-PY014
        with listener.accept() as conn:
            print(conn.recv())


def control_client() -> None:
    with Client(("scheduler", 6000), authkey=AUTHKEY) as conn:  # ok: AIW-PY015
        conn.send({"cmd": "status"})
