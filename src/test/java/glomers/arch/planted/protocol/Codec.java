package glomers.arch.planted.protocol;

/** Breaks the protocol rule: the codec uses the node side. */
public final class Codec {
  Object handler = glomers.arch.planted.node.Handler.class;
}
