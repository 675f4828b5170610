using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Generator.Tests;

/// <summary>
/// Objects the compiler produces for representative programs of each kind load into this kernel
/// through the ecosystem's loader (bpftool prog loadall, libbpf): section names, BTF-defined maps,
/// globals and helper calls are what libbpf expects. Pins are removed afterwards.
/// </summary>
public class SampleObjectLoadTests
{
    private readonly ITestOutputHelper _out;
    public SampleObjectLoadTests(ITestOutputHelper output) => _out = output;

    public static readonly (string Name, string Source)[] Samples =
    {
        ("Counter", GeneratorOutputTests.Counter),
        ("Filters", @"using CSharpBpf;
using CSharpBpf.Kernel;
namespace Demo;
public struct Event { public uint Len; public uint Ifindex; public ulong Stamp; }
public static unsafe partial class Filters
{
    [Map(MaxEntries = 4096)] static RingBuf Events;
    [Map(MaxEntries = 64)] static LruHashMap<ulong, ulong> PerCookie;
    [Map(MaxEntries = 8)] static PercpuArrayMap<long> Stats;
    [Map(MaxEntries = 2)] static ProgArray Jumps;
    [Map(MaxEntries = 8)] static DevMapHash Ports;
    static readonly uint MinLen = 60;
    static ulong Total;

    [SocketFilter]
    static int KeepShort(__sk_buff* skb) => skb->len > MinLen ? 0 : (int)skb->len;

    [SchedCls]
    static TcAction Classify(__sk_buff* skb)
    {
        Event* e = Events.Reserve<Event>();
        if (e != null)
        {
            e->Len = skb->len;
            e->Ifindex = skb->ifindex;
            e->Stamp = Bpf.KtimeGetNs();
            RingBuf.Submit(e);
        }
        long* s = Stats.Lookup(skb->len & 7);
        if (s != null) *s += 1;
        Total += skb->len;
        Jumps.TailCall(skb, 1);
        return TcAction.Ok;
    }

    [CgroupSkb(CgroupSkbDirection.Ingress)]
    static int Ingress(__sk_buff* skb)
    {
        ulong cookie = Bpf.GetSocketCookie(skb);
        ulong* n = PerCookie.Lookup(cookie);
        if (n != null) *n += 1;
        else PerCookie.Update(cookie, 1);
        if ((Bpf.GetPrandomU32() & 1023) == 0) Bpf.TracePrintk(""cookie %llu len %u\n"", cookie, skb->len);
        return 1;
    }

    [Xdp]
    static XdpAction Redirect(xdp_md* ctx) => Ports.Redirect(ctx->ingress_ifindex & 7, (ulong)XdpAction.Pass);
}"),
    };

    [SkippableFact]
    public void Sample_objects_load_with_bpftool()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.If(!File.Exists("/usr/sbin/bpftool") && !File.Exists("/usr/bin/bpftool"), "bpftool is not installed");
        foreach (var (name, source) in Samples)
        {
            var c = GeneratorHarness.Compilation((name + ".cs", source));
            var type = c.GetSymbolsWithName(name, Microsoft.CodeAnalysis.SymbolFilter.Type).OfType<Microsoft.CodeAnalysis.INamedTypeSymbol>().Single();
            var compiled = BpfClassCompiler.Compile(c, type);
            Assert.True(!compiled.HasErrors, string.Join("\n", compiled.Diagnostics));
            string file = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.bpf.o");
            string pin = "/sys/fs/bpf/csbpf_test_" + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(file, compiled.Object.AsArray());
            try
            {
                var (code, output) = Run("bpftool", $"prog loadall {file} {pin}");
                _out.WriteLine($"{name}: {string.Join(", ", compiled.Programs.Select(p => $"{p.Name} {p.InstructionCount} insns"))}");
                Assert.True(code == 0, $"bpftool refused {name}:\n{output}");
                Assert.Equal(compiled.Programs.Count, Directory.GetFileSystemEntries(pin).Length);
            }
            finally
            {
                if (Directory.Exists(pin)) Directory.Delete(pin, recursive: true);
                File.Delete(file);
            }
        }
    }

    private static (int Code, string Output) Run(string exe, string args)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o);
    }
}
