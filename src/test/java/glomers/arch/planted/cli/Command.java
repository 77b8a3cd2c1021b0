package glomers.arch.planted.cli;

/** Any other CLI class: the harness may not use it. */
public final class Command {}
