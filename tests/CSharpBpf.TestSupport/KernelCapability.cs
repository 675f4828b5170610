using System;
using System.IO;
using System.Runtime.InteropServices;
using CSharpBpf.TestSupport.RawBpf;
using Xunit;

namespace CSharpBpf.TestSupport;

/// <summary>
/// Whether this process may load BPF into the running kernel. Kernel tests call
/// <see cref="SkipReason"/> and, when it is non-null, print it and return (xunit 2 has no
/// dynamic skip), so a run without root says plainly why the kernel part did not run.
/// </summary>
public static class KernelCapability
{
    private static readonly Lazy<string?> LazyReason = new(Probe);

    /// <summary>Null when BPF may be loaded; otherwise why not.</summary>
    public static string? SkipReason => LazyReason.Value;

    public static bool CanLoadBpf => SkipReason is null;

    public static bool HasVmlinuxBtf => File.Exists("/sys/kernel/btf/vmlinux");

    private static string? Probe()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return "not Linux: no kernel BPF";
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_KERNEL") == "1") return "CSHARPBPF_NO_KERNEL=1 set";
        if (Native.geteuid() != 0) return "not root: the process may not load BPF (run the tests as root for the kernel part)";
        if (!Directory.Exists("/sys/fs/bpf")) return "/sys/fs/bpf absent: no BPF support in this kernel";
        return null;
    }
}

/// <summary>Skips the calling [SkippableFact] with the reason when the kernel part cannot run.</summary>
public static class KernelSkip
{
    /// <summary>Use as the first line of a kernel test marked [SkippableFact].</summary>
    public static void UnlessBpfAllowed()
    {
        string? reason = KernelCapability.SkipReason;
        if (reason is not null) Console.WriteLine("kernel test skipped: " + reason);
        Skip.If(reason is not null, reason);
    }
}
