namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>
/// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): time spent preempted does not count,
/// as BPF_PROG_TEST_RUN's duration excludes the time the kernel yields the CPU, so VM and kernel
/// timings compare like for like.
/// </summary>
public static class ThreadClock
{
    private const int ClockThreadCputimeId = 3;

    public static long CpuNs()
    {
        if (Native.clock_gettime(ClockThreadCputimeId, out var ts) != 0)
            throw new System.InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return ts.Seconds * 1_000_000_000 + ts.Nanoseconds;
    }
}
