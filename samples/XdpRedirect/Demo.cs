using System;
using System.Buffers.Binary;

namespace XdpRedirect;

/// <summary>One frame's fate: the verdict and, for a redirect, the egress ifindex.</summary>
public sealed record Fate(uint IngressIfindex, uint Verdict, uint? EgressIfindex);

/// <summary>The same frames through the VM and through the kernel (BPF_PROG_TEST_RUN, which reports the verdict without sending).</summary>
public static class Demo
{
    public const uint XdpPass = 2, XdpRedirect = 4;

    /// <summary>A 64-byte Ethernet frame (broadcast, IPv4 ethertype); XDP does not look inside it here.</summary>
    public static byte[] Frame()
    {
        var f = new byte[64];
        for (int i = 0; i < 6; i++) f[i] = 0xff;
        f[12] = 0x08;
        return f;
    }

    public static Fate[] RunVm(uint wiredIngress, uint egress, uint unwiredIngress)
    {
        using var vm = PortMap.LoadVm();
        vm.Maps.Ports.Update(BitConverter.GetBytes(wiredIngress), BitConverter.GetBytes(egress));
        Fate Run(uint ingress)
        {
            var r = vm.Programs.Forward.Run(Frame(), ingress);
            return new Fate(ingress, (uint)r.ReturnValue, r.Redirect?.Ifindex);
        }
        return new[] { Run(wiredIngress), Run(unwiredIngress) };
    }

    public static Fate[] RunKernel(uint wiredIngress, uint egress, uint unwiredIngress, out ulong[] stats)
    {
        using var bpf = PortMap.LoadKernel();
        bpf.Maps.Ports.Update<uint, uint>(wiredIngress, egress);
        var forward = bpf.Programs.Forward;
        Fate Run(uint ingress)
        {
            // struct xdp_md as test_run's context: data, data_end, data_meta are filled in by the kernel; ingress_ifindex at 12.
            var ctx = new byte[24];
            BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(12), ingress);
            var r = forward.TestRun(Frame(), ctx);
            return new Fate(ingress, r.ReturnValue, null);
        }
        var fates = new[] { Run(wiredIngress), Run(unwiredIngress) };
        stats = new[] { bpf.Maps.Stats[0], bpf.Maps.Stats[1] };
        return fates;
    }

    /// <summary>An existing interface other than lo (test_run refuses an ingress_ifindex naming no device), or null.</summary>
    public static uint? OtherIfindex()
    {
        if (!System.IO.Directory.Exists("/sys/class/net")) return null;
        foreach (var dir in System.IO.Directory.GetDirectories("/sys/class/net"))
            if (System.IO.Path.GetFileName(dir) != "lo" && uint.TryParse(System.IO.File.ReadAllText(System.IO.Path.Combine(dir, "ifindex")).Trim(), out var i) && i != 1)
                return i;
        return null;
    }

    public static string? WhyNotKernel()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_KERNEL") == "1") return "CSHARPBPF_NO_KERNEL=1";
        if (Environment.UserName != "root") return "not root: loading XDP programs needs CAP_BPF and CAP_NET_ADMIN (run as root for the kernel step)";
        if (OtherIfindex() is null) return "no network interface besides lo to send an unwired frame from";
        return null;
    }

    public static string VerdictName(uint v) => v switch { 0 => "ABORTED", 1 => "DROP", 2 => "PASS", 3 => "TX", 4 => "REDIRECT", _ => v.ToString() };
}
