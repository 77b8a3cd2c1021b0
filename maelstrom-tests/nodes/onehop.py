#!/usr/bin/env python3
"""A reference one-hop broadcast node for measuring a harness, not a solution to learn from.

The node that receives a client's `broadcast` sends the value straight to every other node, once, and
answers at once; a peer's copy is only stored. No acks, no retransmission: it is correct only without
partitions, which is all the 3d-latency row (`--latency 100`, no nemesis) needs. Its own cost per message
is a JSON parse and a write, with no JIT, no collector pauses and no threads, so whatever latency a run
adds above one hop of exactly `--latency` ms belongs to the harness and the machine
(docs/maelstrom.md#latency-tail). Used by `maelstrom-tests/bench-harness.sh N onehop-ref`.
"""
import json
import sys


def main():
    node_id, peers, seen, next_id = None, [], set(), 0
    out = sys.stdout

    def send(dest, body):
        out.write(json.dumps({"src": node_id, "dest": dest, "body": body}) + "\n")

    for line in sys.stdin:
        msg = json.loads(line)
        body, src = msg["body"], msg["src"]
        kind = body.get("type")
        reply = None
        if kind == "init":
            node_id = body["node_id"]
            peers = [n for n in body["node_ids"] if n != node_id]
            reply = {"type": "init_ok"}
        elif kind == "topology":
            reply = {"type": "topology_ok"}
        elif kind == "broadcast":
            value = body["message"]
            seen.add(value)
            for p in peers:
                send(p, {"type": "copy", "message": value})
            reply = {"type": "broadcast_ok"}
        elif kind == "copy":
            seen.add(body["message"])
        elif kind == "read":
            reply = {"type": "read_ok", "messages": sorted(seen)}
        if reply is not None and "msg_id" in body:
            next_id += 1
            reply["msg_id"] = next_id
            reply["in_reply_to"] = body["msg_id"]
            send(src, reply)
        out.flush()


if __name__ == "__main__":
    main()
