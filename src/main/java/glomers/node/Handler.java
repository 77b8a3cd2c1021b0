package glomers.node;

import glomers.protocol.Message;

/**
 * Handles one message type. Runs on the event-loop thread. Throwing {@link RpcException} answers the
 * request with that error; any other exception answers with error 13 (crash) and the node keeps serving.
 */
@FunctionalInterface
public interface Handler {
  void handle(Message msg) throws Exception;
}
