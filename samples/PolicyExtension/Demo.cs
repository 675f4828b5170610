using System;
using CSharpBpf.Linux;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;

namespace PolicyExtension;

/// <summary>The policy's verdicts for a small and a large frame, before and after the extension replaces Decide.</summary>
public sealed record Verdicts(uint SmallBefore, uint LargeBefore, uint SmallAfter, uint LargeAfter);

public static class Demo
{
    public const uint XdpDrop = 1, XdpPass = 2;
    public const int SmallFrame = 64, LargeFrame = 512;

    public static Verdicts RunVm(byte[] policyElf, byte[] extensionElf, ExecutionEngine engine)
    {
        using var host = new BpfTestHost(engine);
        var policy = host.LoadObject(policyElf);
        var extension = host.LoadObject(extensionElf).Program("Cap");
        uint Run(int size) => (uint)host.RunXdp(policy.Program("Filter"), new byte[size]).ReturnValue;
        uint smallBefore = Run(SmallFrame), largeBefore = Run(LargeFrame);
        policy.ReplaceFunction("Filter", "Decide", extension);
        return new Verdicts(smallBefore, largeBefore, Run(SmallFrame), Run(LargeFrame));
    }

    /// <summary>
    /// Loads the policy, then the extension against its BTF FUNC "Decide", attaches it (BPF_LINK_CREATE) and
    /// runs both frames again. Returns the verdicts, or throws <see cref="BpfException"/> with the kernel's reason.
    /// </summary>
    public static Verdicts RunKernel(byte[] policyElf, byte[] extensionElf)
    {
        using var policy = BpfObject.Load(ObjectSpec.Read(policyElf, "Policy"));
        var filter = policy.Program("Filter");
        uint Run(int size) => filter.TestRun(new byte[size]).ReturnValue;
        uint smallBefore = Run(SmallFrame), largeBefore = Run(LargeFrame);
        var target = CSharpBpf.Linux.KernelTypes.ProgramBtf.ExtensionTarget(filter, "Decide");
        var options = new LoadOptions { ExtensionTargets = new System.Collections.Generic.Dictionary<string, ExtensionTarget> { ["Cap"] = target } };
        using var ext = BpfObject.Load(ObjectSpec.Read(extensionElf, "SizeCap"), options);
        using var link = Attach.Freplace(ext.Program("Cap"), filter, target.FunctionBtfId);
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
