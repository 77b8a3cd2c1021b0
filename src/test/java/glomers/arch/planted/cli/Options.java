package glomers.arch.planted.cli;

/** Stands for the CLI class the harness is exempted to use. */
public final class Options {}
