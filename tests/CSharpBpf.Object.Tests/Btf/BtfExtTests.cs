using System;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Object.Tests.Btf;

public class BtfExtTests
{
    [Theory]
    [MemberData(nameof(FixtureObjects.Names), MemberType = typeof(FixtureObjects))]
    public void Fixture_BTF_formats_as_bpftool_dumped_it(string fixture)
    {
        string expectedPath = Path.Combine(RepoPaths.Fixtures, "expected", Path.GetFileNameWithoutExtension(fixture) + ".btf.txt");
        var (btfBytes, _, _) = FixtureObjects.Sections(fixture);
        var btf = BtfReader.Read(btfBytes);
        string ours = BtfRawFormatter.Format(btf);
        if (File.Exists(expectedPath))
            Assert.Equal(File.ReadAllText(expectedPath).TrimEnd('\n'), ours.TrimEnd('\n'));
        // Written back and re-read: the same types.
        Assert.Equal(ours, BtfRawFormatter.Format(BtfReader.Read(BtfWriter.Write(btf))));
    }

    [Theory]
    [MemberData(nameof(FixtureObjects.Names), MemberType = typeof(FixtureObjects))]
    public void Fixture_BTF_ext_records_round_trip(string fixture)
    {
        var (btfBytes, extBytes, _) = FixtureObjects.Sections(fixture);
        Assert.NotNull(extBytes);
        var btf = BtfReader.Read(btfBytes);
        var ext = BtfExtReader.Read(extBytes!, btf);
        Assert.NotEmpty(ext.FuncInfos);
        Assert.NotEmpty(ext.LineInfos);

        var written = BtfWriter.Write(btf, ext);
        var btf2 = BtfReader.Read(written.Btf);
        var ext2 = BtfExtReader.Read(written.BtfExt, btf2);
        AssertSameRecords(ext, ext2);
        // Our output is itself a fixed point.
        var again = BtfWriter.Write(btf2, ext2);
        Assert.Equal(written.Btf, again.Btf);
        Assert.Equal(written.BtfExt, again.BtfExt);
    }

    [Theory]
    [MemberData(nameof(FixtureObjects.Names), MemberType = typeof(FixtureObjects))]
    public void Line_info_text_is_the_source_line_and_func_info_names_the_symbol(string fixture)
    {
        var (btfBytes, extBytes, elf) = FixtureObjects.Sections(fixture);
        var btf = BtfReader.Read(btfBytes);
        var ext = BtfExtReader.Read(extBytes!, btf);
        string sourcePath = Path.Combine(RepoPaths.Fixtures, Path.ChangeExtension(Path.ChangeExtension(fixture, null), null) + ".bpf.c");
        string[] source = File.ReadAllLines(sourcePath);
        int checkedLines = 0;
        foreach (var section in ext.LineInfos)
        foreach (var line in section.Records)
        {
            Assert.EndsWith(".c", line.FileName);
            Assert.True(line.Column <= 1023);
            if (!line.FileName.EndsWith(Path.GetFileName(sourcePath), StringComparison.Ordinal)) continue; // a header's line
            Assert.InRange((int)line.Line, 1, source.Length);
            Assert.Equal(source[line.Line - 1].Trim(), line.LineText.Trim());
            checkedLines++;
        }
        Assert.True(checkedLines > 0, "no line_info pointed into " + sourcePath);

        foreach (var section in ext.FuncInfos)
        {
            var elfSection = elf.Sections.Single(s => s.Name == section.SectionName);
            foreach (var fi in section.Records)
            {
                var func = Assert.IsType<BtfFunc>(btf.GetType(fi.TypeId));
                Assert.Contains(elf.SymbolsIn(elfSection.Index), s => s.Name == func.Name && s.Value == fi.InsnOffset);
            }
        }
    }

    [Fact]
    public void Core_relocations_of_the_CO_RE_fixture_have_the_expected_kinds_and_types()
    {
        var (btfBytes, extBytes, _) = FixtureObjects.Sections("core_reads.bpf.o");
        var btf = BtfReader.Read(btfBytes);
        var ext = BtfExtReader.Read(extBytes!, btf);
        var relos = ext.CoreRelos.SelectMany(s => s.Records).ToList();
        var kinds = relos.Select(r => r.Kind).ToHashSet();
        foreach (var k in new[]
                 {
                     BpfCoreReloKind.FieldByteOffset, BpfCoreReloKind.FieldByteSize, BpfCoreReloKind.FieldExists,
                     BpfCoreReloKind.FieldLShiftU64, BpfCoreReloKind.FieldRShiftU64, BpfCoreReloKind.TypeExists,
                     BpfCoreReloKind.EnumvalValue,
                 })
            Assert.Contains(k, kinds);
        // next->real_parent: task_struct, a member path "0:N".
        var typeNames = relos.Select(r => btf.ResolveModifiers(r.TypeId).Name).ToHashSet();
        Assert.Contains("task_struct", typeNames);
        Assert.Contains("tcp_sock", typeNames);
        Assert.Contains("tcp_congestion_ops", typeNames);
        Assert.Contains("bpf_map_type", typeNames);
        Assert.All(relos, r => Assert.Matches(@"^\d+(:\d+)*$", r.AccessString));
        Assert.All(ext.CoreRelos, s => Assert.StartsWith("raw_tp", s.SectionName.Replace("tp_btf", "raw_tp")));
    }

    [Fact]
    public void Built_BTF_ext_with_every_relocation_kind_round_trips()
    {
        var btf = BtfSamples.KernelLoadable();
        var ext = new BtfExt();
        uint add = btf.FindId("add", BtfKind.Func);
        ext.FuncInfoSection("xdp").Records.Add(new BtfFuncInfo(0, add));
        ext.FuncInfoSection("xdp").Records.Add(new BtfFuncInfo(48, btf.FindId("helper", BtfKind.Func)));
        ext.LineInfoSection("xdp").Records.Add(new BtfLineInfo(0, "/src/Prog.cs", "int x = 1;", 12, 5));
        ext.LineInfoSection("xdp").Records.Add(new BtfLineInfo(8, "/src/Prog.cs", "return x;", 0x3fffff, 1023));
        ext.LineInfoSection("tc").Records.Add(new BtfLineInfo(0, "/src/Other.cs", "", 1, 0));
        uint pair = btf.FindId("pair", BtfKind.Struct);
        foreach (BpfCoreReloKind kind in Enum.GetValues(typeof(BpfCoreReloKind)))
            ext.CoreReloSection("xdp").Records.Add(new BtfCoreRelo((uint)kind * 8, pair, "0:" + (uint)kind % 5, kind));
        ext.FuncInfoSection("empty"); // a section with no records is left out, as libbpf requires

        var written = BtfWriter.Write(btf, ext);
        var read = BtfExtReader.Read(written.BtfExt, BtfReader.Read(written.Btf));
        Assert.Single(read.FuncInfos);
        Assert.Equal(13, read.CoreRelos[0].Records.Count);
        Assert.Equal(new BtfLineInfo(8, "/src/Prog.cs", "return x;", 0x3fffff, 1023), read.LineInfos[0].Records[1]);
        AssertSameRecords(ext, read);
    }

    [Fact]
    public void Bad_BTF_ext_input_is_a_BpfFormatException_with_the_offset()
    {
        var btf = BtfSamples.KernelLoadable();
        var ext = new BtfExt();
        ext.FuncInfoSection("xdp").Records.Add(new BtfFuncInfo(0, 21));
        ext.LineInfoSection("xdp").Records.Add(new BtfLineInfo(0, "a.cs", "x", 1, 1));
        ext.CoreReloSection("xdp").Records.Add(new BtfCoreRelo(0, 8, "0:1", BpfCoreReloKind.FieldByteOffset));
        var written = BtfWriter.Write(btf, ext);
        var readBtf = BtfReader.Read(written.Btf);
        byte[] good = written.BtfExt;

        BpfFormatException Bad(Action<byte[]> corrupt, long offset, string expected)
        {
            var b = (byte[])good.Clone();
            corrupt(b);
            var e = Assert.Throws<BpfFormatException>(() => BtfExtReader.Read(b, readBtf));
            Assert.Equal("BTF.ext", e.Format);
            Assert.Equal(offset, e.Offset);
            Assert.Contains(expected, e.Expected);
            return e;
        }

        Assert.Throws<BpfFormatException>(() => BtfExtReader.Read(new byte[3], readBtf));
        Bad(b => b[0] = 0, 0, "magic");
        Bad(b => b[4] = 8, 4, "hdr_len of at least 24");
        Bad(b => b[12] = 0xff, 8, "func_info (off");             // func_info_len too large
        Bad(b => b[32] = 2, 32, "record size");                   // func_info rec_size
        Bad(b => b[36] = 0xee, 36, "string offset below");        // sec_name_off
        Bad(b => b[40] = 9, 36 + 4, "records of 8 bytes");        // num_info
        int kindAt = good.Length - 4;
        Bad(b => b[kindAt] = 13, kindAt, "bpf_core_relo_kind");
        var truncated = good.Take(8).ToArray();
        var t = Assert.Throws<BpfFormatException>(() => BtfExtReader.Read(truncated, readBtf));
        Assert.Equal(4, t.Offset); // hdr_len 32 beyond the 8 bytes there are
    }

    [Fact]
    public void Larger_record_sizes_from_newer_producers_are_read_by_their_known_prefix()
    {
        var btfBytes = BtfWriter.Write(BtfSamples.KernelLoadable());
        var btf = BtfReader.Read(btfBytes);
        uint secName = 0;
        for (uint off = 1; off < btf.Strings!.TotalLength; off++)
            if (btf.GetString(off) == "int") { secName = off; break; }
        // Header (24 bytes, no core_relo), then func_info with 12-byte records holding an unknown trailing word.
        var words = new uint[] { 1, 21, 0xdeadbeef, 48, 28, 0xdeadbeef };
        var ext = new System.Collections.Generic.List<byte>();
        void U32(uint v) => ext.AddRange(BitConverter.GetBytes(v));
        ext.AddRange(new byte[] { 0x9f, 0xeb, 1, 0 });
        U32(24); U32(0); U32(4 + 8 + 24); U32(4 + 8 + 24); U32(0);
        U32(12); U32(secName); U32(2);
        foreach (uint w in words) U32(w);
        var read = BtfExtReader.Read(ext.ToArray(), btf);
        Assert.Equal(12u, read.FuncInfoRecordSize);
        Assert.Equal("int", read.FuncInfos[0].SectionName);
        Assert.Equal(new[] { new BtfFuncInfo(1, 21), new BtfFuncInfo(48, 28) }, read.FuncInfos[0].Records);
        Assert.Empty(read.LineInfos);
        Assert.Empty(read.CoreRelos);
    }

    [Fact]
    public void Fuzzed_BTF_ext_only_ever_throws_BpfFormatException()
    {
        var (btfBytes, extBytes, _) = FixtureObjects.Sections("core_reads.bpf.o");
        var btf = BtfReader.Read(btfBytes);
        var random = new Random(7);
        for (int round = 0; round < 3000; round++)
        {
            byte[] b = (byte[])extBytes!.Clone();
            for (int m = 0; m < 1 + random.Next(3); m++)
            {
                if (random.Next(5) == 0) Array.Resize(ref b, random.Next(b.Length + 1));
                else if (b.Length > 0) b[random.Next(b.Length)] = (byte)random.Next(256);
            }
            try
            {
                BtfExtReader.Read(b, btf);
            }
            catch (BpfFormatException)
            {
            }
        }
    }

    private static void AssertSameRecords(BtfExt expected, BtfExt actual)
    {
        static string Dump(BtfExt e) => string.Join("\n",
            e.FuncInfos.Where(s => s.Records.Count > 0).Select(s => s.SectionName + ": " + string.Join(", ", s.Records))
            .Concat(e.LineInfos.Where(s => s.Records.Count > 0).Select(s => s.SectionName + ": " + string.Join(", ", s.Records)))
            .Concat(e.CoreRelos.Where(s => s.Records.Count > 0).Select(s => s.SectionName + ": " + string.Join(", ", s.Records))));
        Assert.Equal(Dump(expected), Dump(actual));
    }
}
