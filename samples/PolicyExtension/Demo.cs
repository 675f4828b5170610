using System;
using CSharpBpf.Linux;
using CSharpBpf.Vm;

namespace PolicyExtension;

/// <summary>The policy's verdicts for a small and a large frame, before and after the extension replaces Decide.</summary>
public sealed record Verdicts(uint SmallBefore, uint LargeBefore, uint SmallAfter, uint LargeAfter);

public static class Demo
{
    public const uint XdpDrop = 1, XdpPass = 2;
    public const int SmallFrame = 64, LargeFrame = 512;

    public static Verdicts RunVm(ExecutionEngine engine)
    {
        using var policy = Policy.LoadVm(engine);
        using var extension = SizeCap.LoadVm(policy.Host); // an extension must live in the machine of the program it changes
        uint Run(int size) => (uint)policy.Programs.Filter.Run(new byte[size]).ReturnValue;
        uint smallBefore = Run(SmallFrame), largeBefore = Run(LargeFrame);
        extension.Programs.Cap.ReplaceIn(policy.Programs.Filter); // Filter's calls of Decide now go to Cap
        return new Verdicts(smallBefore, largeBefore, Run(SmallFrame), Run(LargeFrame));
    }

    /// <summary>
    /// Loads the policy, then the extension against its BTF FUNC "Decide", attaches it (BPF_LINK_CREATE) and
    /// runs both frames again. Returns the verdicts, or throws <see cref="BpfException"/> with the kernel's reason.
    /// </summary>
    public static Verdicts RunKernel()
    {
        using var policy = Policy.LoadKernel();
        var filter = policy.Programs.Filter;
        uint Run(int size) => filter.TestRun(new byte[size]).ReturnValue;
        uint smallBefore = Run(SmallFrame), largeBefore = Run(LargeFrame);
        using var extension = SizeCap.LoadKernel(filter); // verified against Filter's BTF FUNC Decide
        using var link = extension.Programs.Cap.Attach(filter);
        return new Verdicts(smallBefore, largeBefore, Run(SmallFrame), Run(LargeFrame));
    }

    public static string? WhyNotKernel()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_KERNEL") == "1") return "CSHARPBPF_NO_KERNEL=1";
        if (Environment.UserName != "root") return "not root: loading XDP and extension programs needs CAP_BPF and CAP_SYS_ADMIN";
        return null;
    }

    /// <summary>The kernel lockdown mode (the bracketed word of /sys/kernel/security/lockdown), or null when unknown.</summary>
    public static string? LockdownMode()
    {
        try
        {
            string text = System.IO.File.ReadAllText("/sys/kernel/security/lockdown");
            int open = text.IndexOf('['), close = text.IndexOf(']');
            return open >= 0 && close > open ? text.Substring(open + 1, close - open - 1) : null;
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string VerdictName(uint v) => v switch { 0 => "ABORTED", 1 => "DROP", 2 => "PASS", 3 => "TX", 4 => "REDIRECT", _ => v.ToString() };
}
