using System.IO;
using System.Text.RegularExpressions;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using Xunit;
using static CSharpBpf.Cli.Tests.BtfCliTestSupport;

namespace CSharpBpf.Cli.Tests;

public class BtfCommandTests
{
    [SkippableFact]
    public void Vmlinux_type_is_printed_with_member_byte_offsets()
    {
        Skip.IfNot(File.Exists("/sys/kernel/btf/vmlinux"), "no /sys/kernel/btf/vmlinux");
        var (exit, output, error) = Csbpf("btf", "/sys/kernel/btf/vmlinux", "--type", "tcp_congestion_ops");
        Assert.True(exit == 0, error);
        var btf = BtfReader.Read(File.ReadAllBytes("/sys/kernel/btf/vmlinux"));
        var ops = btf.Find<BtfStruct>("tcp_congestion_ops")!;
        Assert.Contains($"STRUCT 'tcp_congestion_ops' size={ops.Size} vlen={ops.Members.Count}", output);
        foreach (var m in ops.Members)
            Assert.Contains($"\t'{m.Name}' type_id={m.TypeId} bits_offset={m.BitOffset} (byte {m.ByteOffset})", output);
    }

    [SkippableFact]
    public void Vmlinux_bitfields_show_byte_and_bit()
    {
        Skip.IfNot(File.Exists("/sys/kernel/btf/vmlinux"), "no /sys/kernel/btf/vmlinux");
        var (exit, output, _) = Csbpf("btf", "/sys/kernel/btf/vmlinux", "--type", "tcp_options_received");
        Assert.Equal(0, exit);
        var m = Regex.Match(output, @"'snd_wscale' type_id=\d+ bits_offset=(\d+) bitfield_size=4 \(byte (\d+) bit (\d+)\)");
        Assert.True(m.Success, output);
        uint bits = uint.Parse(m.Groups[1].Value);
        Assert.Equal(bits / 8, uint.Parse(m.Groups[2].Value));
        Assert.Equal(bits % 8, uint.Parse(m.Groups[3].Value));
    }

    [Fact]
    public void Object_file_BTF_and_ext_records_are_printed()
    {
        string obj = RepoPaths.Fixture("core_reads.bpf.o");
        var (exit, output, error) = Csbpf("btf", obj, "--ext");
        Assert.True(exit == 0, error);
        // The whole raw dump equals bpftool's (committed), each line possibly followed by our annotation.
        string expected = File.ReadAllText(RepoPaths.Fixture("expected/core_reads.bpf.btf.txt"));
        string stripped = Regex.Replace(output, @" \((byte \d+( bit \d+)?|size \d+)\)", "");
        Assert.StartsWith(expected.TrimEnd('\n'), stripped);
        Assert.Matches(@"func_info 'tp_btf/sched_switch' \(1\):\n\tinsn_off=0 type_id=\d+ \(FUNC 'on_switch'\)", output);
        Assert.Matches(@"line_info 'raw_tp/tcp_probe' \(\d+\):\n\tinsn_off=0 \S*core_reads\.bpf\.c:\d+:\d+ ", output);
        Assert.Matches(@"core_relo 'raw_tp/tcp_probe' \(\d+\):\n\tinsn_off=\d+ type_id=\d+ \(\w+ '[^']+'\) access='[0-9:]+' kind=\w+", output);
        Assert.Contains("kind=EnumvalValue", output);
    }

    [Fact]
    public void Typedefs_and_arrays_get_their_size()
    {
        string file = TempFile(BtfWriter.Write(EmitterSample()));
        try
        {
            var (exit, output, _) = Csbpf("btf", file, "--type", "u32");
            Assert.Equal(0, exit);
            Assert.Equal("[6] TYPEDEF 'u32' type_id=3 (size 4)\n", output.Replace("\r\n", "\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Unknown_type_missing_file_and_bad_BTF_fail_with_a_message()
    {
        string file = TempFile(BtfWriter.Write(EmitterSample()));
        string bad = TempFile(new byte[] { 0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0 });
        try
        {
            var (exit, _, error) = Csbpf("btf", file, "--type", "no_such_type");
            Assert.Equal(1, exit);
            Assert.Contains("no type named 'no_such_type'", error);

            (exit, _, error) = Csbpf("btf", bad);
            Assert.Equal(1, exit);
            Assert.Contains("BTF: at byte offset 4", error);

            (exit, _, error) = Csbpf("btf", "/nonexistent/file.o");
            Assert.Equal(1, exit);
            Assert.Contains("file.o", error);

            (exit, _, error) = Csbpf("btf");
            Assert.Equal(2, exit);
            Assert.Contains("usage", error);

            (exit, _, error) = Csbpf("btf", file, "--csharp");
            Assert.Equal(2, exit);
            Assert.Contains("--types", error);

            (exit, _, error) = Csbpf("btf", file, "--csharp", "--types", "conn,nope");
            Assert.Equal(1, exit);
            Assert.Contains("nope", error);
        }
        finally
        {
            File.Delete(file);
            File.Delete(bad);
        }
    }
}
