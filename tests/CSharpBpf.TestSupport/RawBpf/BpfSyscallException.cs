using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>
/// A bpf(2) command failed: which command, the errno, and the kernel's log when it wrote one. An
/// InvalidOperationException, as the per-project copies threw, so existing catch clauses still apply.
/// </summary>
public sealed class BpfSyscallException : InvalidOperationException
{
    public BpfSyscallException(BpfCommand command, BpfErrno errno, string log, string? what = null)
        : base(Describe(command, errno, log, what))
    {
        Command = command;
        Errno = errno;
        Log = log;
    }

    public BpfCommand Command { get; }

    public BpfErrno Errno { get; }

    /// <summary>The verifier (or BTF) log, empty when the command writes none.</summary>
    public string Log { get; }

    /// <summary>"errno 22 (EINVAL: Invalid argument)": the number, its name and strerror's text.</summary>
    public static string DescribeErrno(BpfErrno errno)
    {
        int n = (int)errno;
        string name = System.Enum.IsDefined(typeof(BpfErrno), errno) ? errno + ": " : "";
        return $"errno {n} ({name}{Marshal.GetPInvokeErrorMessage(n)})";
    }

    private static string Describe(BpfCommand command, BpfErrno errno, string log, string? what)
    {
        string subject = what is null ? command.ToString() : $"{command} ({what})";
        string text = $"{subject} failed: {DescribeErrno(errno)}";
        return log.Length == 0 ? text : text + "\n" + log;
    }
}
