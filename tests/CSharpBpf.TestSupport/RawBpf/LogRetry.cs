using System;
using System.Text;

namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>The <see cref="KernelLog"/> policy, shared by PROG_LOAD and BTF_LOAD.</summary>
internal static class LogRetry
{
    /// <summary>One load attempt: the log buffer (null for none) in, bpf(2)'s result (fd or -errno) out.</summary>
    internal delegate long Attempt(byte[]? log);

    /// <summary>
    /// How often a load interrupted with EAGAIN is tried again. The verifier gives up with EAGAIN when a
    /// signal is pending, and the .NET runtime signals threads to suspend them for a GC; libbpf retries too.
    /// </summary>
    private const int InterruptedRetries = 5;

    internal static BpfLoadResult Load(BpfCommand command, KernelLog policy, int logSize, Attempt once)
    {
        Attempt attempt = log =>
        {
            long r = once(log);
            for (int i = 0; i < InterruptedRetries && r == -(long)BpfErrno.EAGAIN; i++) r = once(log);
            return r;
        };
        if (logSize <= 0) throw new ArgumentOutOfRangeException(nameof(logSize), logSize, "the log buffer needs at least one byte");
        if (policy == KernelLog.OnFailure)
        {
            long quiet = attempt(null);
            if (quiet >= 0) return Result(command, quiet, "");
        }
        var log = new byte[logSize];
        long r = attempt(log);
        string text = Text(log);
        if (r == -(long)BpfErrno.ENOSPC && policy == KernelLog.Always)
        {
            // The log overflowed: that says nothing about the verdict, so ask again without one.
            long verdict = attempt(null);
            if (verdict >= 0) return Result(command, verdict, text);
        }
        return Result(command, r, text);
    }

    private static BpfLoadResult Result(BpfCommand command, long r, string log) =>
        r >= 0
            ? new BpfLoadResult(command, new RawBpfFd((int)r), BpfErrno.None, log)
            : new BpfLoadResult(command, null, (BpfErrno)(-r), log);

    private static string Text(byte[] log)
    {
        int end = Array.IndexOf(log, (byte)0);
        return Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end);
    }
}
