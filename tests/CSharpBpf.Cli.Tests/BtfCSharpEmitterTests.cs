using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Cli.Btf;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using Xunit;
using static CSharpBpf.Cli.Tests.BtfCliTestSupport;

namespace CSharpBpf.Cli.Tests;

public class BtfCSharpEmitterTests
{
    private static readonly Lazy<CSharpBpf.Object.Btf.Btf?> Vmlinux = new(() =>
        File.Exists("/sys/kernel/btf/vmlinux") ? BtfReader.Read(File.ReadAllBytes("/sys/kernel/btf/vmlinux")) : null);

    private static readonly string[] KernelTypes =
    {
        "tcp_sock", "sock", "inet_connection_sock", "tcp_congestion_ops", "bpf_struct_ops_tcp_congestion_ops",
        "bpf_sock_ops", "bpf_sock", "__sk_buff", "xdp_md", "bpf_sysctl", "bpf_sockopt", "rate_sample", "bpf_map_type",
        "BPF_SOCK_OPS_TIMEOUT_INIT", "TCP_ESTABLISHED",
    };

    [Fact]
    public void Sample_BTF_generates_the_golden_CSharp()
    {
        string file = TempFile(BtfWriter.Write(EmitterSample()));
        try
        {
            var (exit, output, error) = Csbpf("btf", file, "--csharp", "--types", "conn,list_node");
            Assert.True(exit == 0, error);
            GoldenFile.AssertMatches("btf/emitter_sample.cs.txt", output.Replace(Path.GetFileName(file), "sample.btf"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Sample_layout_decisions()
    {
        string cs = new CSharpEmitter(EmitterSample()).Emit(new[] { "conn" });
        Assert.Contains("[StructLayout(LayoutKind.Explicit, Size = 128)]\npublic unsafe partial struct conn\n", cs);
        Assert.Contains("[FieldOffset(0)] public uint cwnd;", cs);                           // typedef u32 -> uint
        Assert.Contains("[FieldOffset(8)] public ulong addr;", cs);                          // hoisted from the anonymous union
        Assert.Contains("[FieldOffset(12)] public uint hi;", cs);                            // ...and its anonymous struct
        Assert.Contains("[FieldOffset(16)] public fixed byte name[16];", cs);
        Assert.Contains("[FieldOffset(32)] public fixed uint grid[6];", cs);                 // 2-D flattened
        Assert.Contains("[FieldOffset(56)] public list_node nodes;", cs);                    // struct array: element 0
        Assert.Contains("[FieldOffset(88)] public conn* peer;", cs);
        Assert.Contains("[FieldOffset(96)] public void* opaque;", cs);                       // other_thing not generated
        Assert.Contains("[FieldOffset(104)] public delegate* unmanaged<conn*, uint, uint> cong_avoid;", cs);
        Assert.Contains("[FieldOffset(112)] public spin_t @lock;", cs);                     // keyword, typedef'd anonymous struct
        Assert.Contains("[FieldOffset(116)] public int conn_;", cs);                         // named like its type; anonymous enum -> int
        Assert.Contains("public enum conn_state : uint", cs);
        Assert.Contains("CONN_MAX = 4294967295U,", cs);
        Assert.Contains("// data: unsigned char[0] at byte 128 has no size", cs);
        Assert.DoesNotContain("partial struct other_thing", cs);
        Assert.Contains("[FieldOffset(4)] private byte __bf_4_1;", cs);
    }

    [Fact]
    public void Wide_and_odd_types_are_spelled_so_they_compile_without_usings()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        var u128 = btf.AddInt("__int128 unsigned", 16, BtfIntEncoding.None);
        var s128 = btf.AddInt("__int128", 16, BtfIntEncoding.Signed);
        var arr = btf.AddArray(u128.Id, u128.Id, 2);
        var empty = btf.AddStruct("lock_class_key", 0);
        var s = btf.AddStruct("wide", 64);
        s.AddMember("u", u128.Id, 0);
        s.AddMember("s", s128.Id, 128);
        s.AddMember("pair", arr.Id, 256);
        s.AddMember("key", empty.Id, 512);
        string cs = new CSharpEmitter(btf).Emit(new[] { "wide" });
        Assert.Contains("[FieldOffset(0)] public System.UInt128 u;", cs);
        Assert.Contains("[FieldOffset(16)] public System.Int128 s;", cs);
        Assert.Contains("[FieldOffset(32)] public System.UInt128 pair;", cs);      // no fixed buffer of 128-bit ints: element 0
        Assert.Contains("// key: struct lock_class_key at byte 64 has no size", cs);
    }

    [Fact]
    public void Self_referencing_pointers_terminate()
    {
        // PTR -> itself is legal BTF (pointers break by-value cycles), so naming it must not recurse forever.
        var btf = new CSharpBpf.Object.Btf.Btf();
        var s = btf.AddStruct("loopy", 8);
        var self = btf.AddPtr(2);
        s.AddMember("p", self.Id, 0);
        string file = TempFile(BtfWriter.Write(btf));
        try
        {
            var (exit, output, error) = Csbpf("btf", file, "--csharp", "--types", "loopy");
            Assert.True(exit == 0, error);
            Assert.Matches(@"\[FieldOffset\(0\)\] public void\*+ p;", output);
            (exit, output, error) = Csbpf("btf", file);
            Assert.True(exit == 0, error);
            Assert.Contains("[2] PTR '(anon)' type_id=2", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Kernel_type_attribute_marks_structs_and_unions_only()
    {
        string cs = new CSharpEmitter(EmitterSample()) { KernelTypeAttribute = "CSharpBpf.KernelType" }.Emit(new[] { "conn" });
        Assert.Contains("[StructLayout(LayoutKind.Explicit, Size = 128)]\n[CSharpBpf.KernelType(\"conn\")]\npublic unsafe partial struct conn", cs);
        Assert.Contains("[CSharpBpf.KernelType(\"list_node\")]", cs);
        Assert.DoesNotContain("[CSharpBpf.KernelType(\"conn_state\")]", cs);
    }

    [Fact]
    public void Anonymous_enum_named_by_an_enumerator_becomes_constants()
    {
        string cs = new CSharpEmitter(EmitterSample()).Emit(new[] { "SOME_FLAG" });
        Assert.Contains("public static partial class KernelConstants\n{\n    // anonymous enum, BTF id 8\n    public const int SOME_FLAG = -2;\n}", cs);
        Assert.False(new CSharpEmitter(EmitterSample()).CanResolve("NO_SUCH_FLAG"));
    }

    [SkippableFact]
    public void Generated_kernel_types_have_the_BTF_offsets()
    {
        var btf = Vmlinux.Value;
        Skip.If(btf is null, "no /sys/kernel/btf/vmlinux");
        string cs = new CSharpEmitter(btf!).Emit(KernelTypes);
        foreach (var (type, member) in new[]
                 {
                     ("tcp_sock", "snd_cwnd"), ("tcp_sock", "snd_ssthresh"), ("tcp_sock", "srtt_us"), ("tcp_sock", "inet_conn"),
                     ("sock", "sk_pacing_rate"), ("sock_common", "skc_family"), ("sock_common", "skc_daddr"), ("sock", "__sk_common"),
                     ("tcp_congestion_ops", "ssthresh"), ("tcp_congestion_ops", "cong_avoid"), ("tcp_congestion_ops", "name"),
                     ("bpf_struct_ops_tcp_congestion_ops", "data"), ("bpf_sock_ops", "op"), ("bpf_sock_ops", "reply"),
                     ("inet_connection_sock", "icsk_ca_ops"), ("rate_sample", "rtt_us"),
                 })
        {
            var composite = btf!.Find<BtfStruct>(type)!;
            Assert.True(btf.TryFindMember(composite, member, out var loc), $"{type}.{member}");
            string body = StructBody(cs, type);
            Assert.Matches(new Regex(@"\[FieldOffset\(" + loc.ByteOffset + @"\)\] public [^;]+ " + Regex.Escape(member) + @"(\[\d+\])?;"), body);
        }
        Assert.Contains("[StructLayout(LayoutKind.Explicit, Size = 256)]\npublic unsafe partial struct bpf_struct_ops_tcp_congestion_ops", cs);
        Assert.Matches(@"\[FieldOffset\(64\)\] public tcp_congestion_ops data;", StructBody(cs, "bpf_struct_ops_tcp_congestion_ops"));
        // Function pointers carry the kernel signature: cong_avoid(struct sock *, u32 ack, u32 acked).
        Assert.Contains("public delegate* unmanaged<sock*, uint, uint, void> cong_avoid;", cs);
        // Anonymous enums' constants: the sock_ops op and the TCP state values of this kernel.
        var opsEnum = btf.Types.OfType<BtfEnum>().First(e => e.IsAnonymous && e.FindValue("BPF_SOCK_OPS_TIMEOUT_INIT") is not null);
        Assert.Contains($"public const uint BPF_SOCK_OPS_TIMEOUT_INIT = {opsEnum.FindValue("BPF_SOCK_OPS_TIMEOUT_INIT")!.Value}U;", cs);
        Assert.Contains("public const uint TCP_ESTABLISHED = 1U;", cs);
        // A bitfield as a property whose doc names the bit position BTF gives.
        var rx = btf!.Find<BtfStruct>("tcp_sock")!;
        Assert.True(btf.TryFindMember(rx, "repair", out var repair));
        Assert.Contains($"repair:1 at bit {repair.BitOffset} (byte {repair.ByteOffset} bit {repair.BitOffset % 8})", cs);
    }

    [SkippableFact]
    public void Generated_kernel_types_compile_and_have_the_BTF_sizes()
    {
        var btf = Vmlinux.Value;
        Skip.If(btf is null, "no /sys/kernel/btf/vmlinux");
        string cs = new CSharpEmitter(btf!).Emit(KernelTypes);
        string dir = Path.Combine(Path.GetTempPath(), "csbpf-emit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "Kernel.cs"), cs);
            File.WriteAllText(Path.Combine(dir, "Check.csproj"),
                "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>" +
                "<AllowUnsafeBlocks>true</AllowUnsafeBlocks><Nullable>enable</Nullable><ImplicitUsings>disable</ImplicitUsings>" +
                "<TreatWarningsAsErrors>true</TreatWarningsAsErrors><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>" +
                "</PropertyGroup></Project>");
            // Bitfield round trip and sizeof of every generated struct against BTF.
            var structs = btf!.Types.OfType<BtfComposite>()
                .Where(c => !c.IsAnonymous && Regex.IsMatch(cs, @"public unsafe partial struct " + Regex.Escape(c.Name) + "\n"))
                .GroupBy(c => c.Name).Select(g => g.First()).ToList();
            string checks = string.Join("\n", structs.Select(c => $"        Check(\"{c.Name}\", sizeof({c.Name}), {c.Size});"));
            File.WriteAllText(Path.Combine(dir, "Program.cs"),
                "using System;\nusing CSharpBpf.Kernel;\npublic static unsafe class Program\n{\n    static int failures;\n" +
                "    static void Check(string n, int actual, int expected) { if (actual != expected) { failures++; Console.WriteLine($\"{n}: sizeof {actual} != BTF {expected}\"); } }\n" +
                "    public static int Main()\n    {\n" + checks + "\n" +
                "        tcp_sock t = default; t.repair = 1; t.syn_data = 1; if (t.repair != 1 || t.syn_data != 1) { Console.WriteLine(\"bitfield\"); failures++; }\n" +
                "        t.repair = 0; if (t.repair != 0 || t.syn_data != 1) { Console.WriteLine(\"bitfield clear\"); failures++; }\n" +
                "        uint established = KernelConstants.TCP_ESTABLISHED; if (established != 1) { Console.WriteLine(\"constant\"); failures++; }\n" +
                "        Console.WriteLine($\"checked {" + structs.Count + "} structs\");\n        return failures;\n    }\n}\n");
            var (exit, output) = Dotnet(dir, "run");
            Assert.True(exit == 0, output);
            Assert.Contains($"checked {structs.Count} structs", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string StructBody(string cs, string name)
    {
        int start = cs.IndexOf("public unsafe partial struct " + name + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "struct " + name + " not generated");
        int end = cs.IndexOf("\n}\n", start, StringComparison.Ordinal);
        return cs.Substring(start, end - start);
    }

    private static (int Exit, string Output) Dotnet(string dir, string args)
    {
        var psi = new ProcessStartInfo("dotnet", args)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }
}
