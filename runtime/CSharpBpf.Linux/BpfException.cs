using System;
using CSharpBpf.Linux.Native;

namespace CSharpBpf.Linux;

/// <summary>Base of every error the kernel loader reports.</summary>
public class BpfException : Exception
{
    public BpfException(string message) : base(message) { }
    public BpfException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A bpf(2) (or related) system call failed: which command, the errno, and what it means.</summary>
public class BpfSyscallException : BpfException
{
    public BpfSyscallException(string command, int errno, string? context = null, string? detail = null)
        : base(Format(command, errno, context, detail))
    {
        Command = command;
        Errno = errno;
        Context = context;
    }

    /// <summary>The command as the kernel spells it, e.g. "BPF_MAP_CREATE" or "setsockopt".</summary>
    public string Command { get; }
    public int Errno { get; }
    public string ErrnoName => Native.Errno.Name(Errno);
    public string ErrnoDescription => Native.Errno.Describe(Errno);
    /// <summary>What was being done, e.g. "map 'counts' (hash)".</summary>
    public string? Context { get; }

    private static string Format(string command, int errno, string? context, string? detail)
    {
        string s = $"{command} failed with {Native.Errno.Name(errno)} ({Native.Errno.Describe(errno)})";
        if (context is not null) s += " for " + context;
        if (detail is not null) s += ": " + detail;
        return s;
    }
}

/// <summary>BPF_PROG_LOAD failed: carries the verifier log, and the log annotated with source lines when line_info was given.</summary>
public sealed class BpfProgramLoadException : BpfSyscallException
{
    public BpfProgramLoadException(string programName, int errno, string verifierLog, string annotatedLog)
        : base("BPF_PROG_LOAD", errno, $"program '{programName}'", Summary(verifierLog))
    {
        ProgramName = programName;
        VerifierLog = verifierLog;
        AnnotatedLog = annotatedLog;
    }

    public string ProgramName { get; }
    /// <summary>The verifier's log exactly as the kernel wrote it.</summary>
    public string VerifierLog { get; }
    /// <summary>The log with "; file:line" source references added after each instruction, when line_info is known.</summary>
    public string AnnotatedLog { get; }

    public override string Message => base.Message + (AnnotatedLog.Length > 0 ? "\n--- verifier log ---\n" + AnnotatedLog : "");

    // The verifier's verdict is usually the last non-empty lines before "processed N insns".
    private static string? Summary(string log)
    {
        var lines = log.Split('\n');
        for (int i = lines.Length - 1; i >= 0; i--)
        {
            string l = lines[i].Trim();
            if (l.Length == 0 || l.StartsWith("processed ", StringComparison.Ordinal) || l.StartsWith("verification time", StringComparison.Ordinal) || l.StartsWith("stack depth", StringComparison.Ordinal)) continue;
            return l;
        }
        return null;
    }
}
