namespace Clearway.Benchmarks;

/// <summary>A step the benchmark cannot go on without failed (a command, a process that exited early): the verb prints this one line and exits 1.</summary>
internal sealed class BenchmarkFailedException(string message) : Exception(message);
