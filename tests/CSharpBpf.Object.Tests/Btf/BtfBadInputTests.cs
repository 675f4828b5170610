using System;
using CSharpBpf.Object.Btf;
using Xunit;

namespace CSharpBpf.Object.Tests.Btf;

/// <summary>Malformed BTF: always a BpfFormatException naming the offset, never another exception or a hang.</summary>
public class BtfBadInputTests
{
    private static byte[] Valid() => BtfWriter.Write(BtfSamples.EveryForm());

    private static void Poke32(byte[] b, int at, uint v)
    {
        b[at] = (byte)v;
        b[at + 1] = (byte)(v >> 8);
        b[at + 2] = (byte)(v >> 16);
        b[at + 3] = (byte)(v >> 24);
    }

    private static BpfFormatException Bad(byte[] bytes, long offset, string expectedContains)
    {
        var e = Assert.Throws<BpfFormatException>(() => BtfReader.Read(bytes));
        Assert.Equal("BTF", e.Format);
        Assert.Equal(offset, e.Offset);
        Assert.Contains(expectedContains, e.Expected);
        return e;
    }

    // Type records start right after the 24-byte header: [1] INT 'int' is at 24, [2] at 40.
    private const int FirstType = 24;

    [Fact]
    public void Empty_and_truncated_headers()
    {
        Bad(Array.Empty<byte>(), 0, "btf_header");
        Bad(new byte[] { 0x9f, 0xeb, 1 }, 3, "btf_header");
        var bytes = Valid();
        Bad(bytes.AsSpan(0, 20).ToArray(), 4, "hdr_len within");
    }

    [Fact]
    public void Bad_magic_version_flags()
    {
        var b = Valid(); b[0] = 0x12;
        Bad(b, 0, "magic 0xeb9f");
        b = Valid(); b[2] = 2;
        Bad(b, 2, "version 1");
        b = Valid(); b[3] = 1;
        Bad(b, 3, "flags 0");
    }

    [Fact]
    public void Section_offsets_out_of_range()
    {
        var b = Valid(); Poke32(b, 12, 0x7fff_fff0);
        Bad(b, 8, "type section");
        b = Valid(); Poke32(b, 20, uint.MaxValue);
        Bad(b, 16, "string section");
        b = Valid(); Poke32(b, 8, 2);
        Bad(b, 8, "4-byte aligned type_off");
    }

    [Fact]
    public void Truncated_type_section_names_the_record()
    {
        var b = Valid();
        // Cut the type section to end in the middle of type [2] (a 16-byte INT at 40).
        Poke32(b, 12, 16 + 8);
        Bad(b, 40, "12-byte btf_type");
    }

    [Fact]
    public void Unknown_kind_is_rejected_at_its_info_word()
    {
        var b = Valid();
        b[FirstType + 7] = 25; // kind bits 24-28 of info
        Bad(b, FirstType + 4, "BTF kind in 1..19");
    }

    [Fact]
    public void Name_offset_outside_the_string_table()
    {
        var b = Valid();
        Poke32(b, FirstType, 0x00ff_0000);
        Bad(b, FirstType, "name offset below");
    }

    [Fact]
    public void Type_id_beyond_the_last_type()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        btf.AddInt("int", 4, BtfIntEncoding.Signed);
        btf.AddPtr(1);
        var b = BtfWriter.Write(btf);
        Poke32(b, FirstType + 16 + 8, 99); // PTR's type
        Bad(b, FirstType + 16 + 8, "found 99");
    }

    [Fact]
    public void String_section_without_final_nul()
    {
        var b = Valid();
        b[b.Length - 1] = (byte)'x';
        Bad(b, b.Length - 1, "NUL as the last byte");
    }

    [Fact]
    public void Typedef_cycle_is_rejected_by_the_reader()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        btf.AddTypedef("a", 2);
        btf.AddConst(3);
        btf.AddTypedef("c", 1);
        Assert.Throws<BpfFormatException>(() => BtfReader.Read(BtfWriter.Write(btf)));
    }

    [Fact]
    public void Struct_containing_itself_by_value_is_rejected_but_through_a_pointer_is_fine()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        var s = btf.AddStruct("loop", 8);
        var arr = btf.AddArray(s.Id, s.Id, 1);
        s.AddMember("self", arr.Id, 0);
        var e = Assert.Throws<BpfFormatException>(() => BtfReader.Read(BtfWriter.Write(btf)));
        Assert.Contains("cycle", e.Expected);

        var ok = new CSharpBpf.Object.Btf.Btf();
        var node = ok.AddStruct("node", 8);
        var p = ok.AddPtr(node.Id);
        node.AddMember("next", p.Id, 0);
        Assert.Equal(8ul, BtfReader.Read(BtfWriter.Write(ok)).SizeOf(1));
    }

    [Fact]
    public void Helpers_on_built_cycles_throw_instead_of_hanging()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        btf.AddTypedef("a", 2);
        btf.AddTypedef("b", 1);
        Assert.Throws<BpfFormatException>(() => btf.ResolveModifiers(1));
        Assert.Throws<BpfFormatException>(() => btf.SizeOf(1));
        Assert.Throws<BpfFormatException>(() => btf.AlignOf(1));

        var arrays = new CSharpBpf.Object.Btf.Btf();
        arrays.AddArray(2, 0, 2);
        arrays.AddArray(1, 0, 2);
        Assert.Throws<BpfFormatException>(() => arrays.SizeOf(1));

        var huge = new CSharpBpf.Object.Btf.Btf();
        var big = huge.AddStruct("big", uint.MaxValue);
        var a1 = huge.AddArray(big.Id, 0, uint.MaxValue);
        var a2 = huge.AddArray(a1.Id, 0, 2);
        Assert.Equal((ulong)uint.MaxValue * uint.MaxValue, huge.SizeOf(a1.Id));
        Assert.Throws<BpfFormatException>(() => huge.SizeOf(a2.Id));

        var structs = new CSharpBpf.Object.Btf.Btf();
        var s = structs.AddStruct("s", 4);
        s.AddMember("", s.Id, 0);
        Assert.Throws<BpfFormatException>(() => structs.AlignOf(s.Id));
        Assert.Throws<BpfFormatException>(() => structs.TryFindMember(s, "missing", out _));
    }

    [Fact]
    public void Dangling_reference_in_built_BTF_is_refused_by_the_writer()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        btf.AddPtr(7);
        var e = Assert.Throws<InvalidOperationException>(() => BtfWriter.Write(btf));
        Assert.Contains("type id 7", e.Message);
    }

    [Fact]
    public void Writer_refuses_what_the_kernel_would_refuse_and_drops_meaningless_kind_flags()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        btf.AddInt("odd", 3, BtfIntEncoding.Signed);
        Assert.Contains("1, 2, 4, 8 or 16 bytes", Assert.Throws<InvalidOperationException>(() => BtfWriter.Write(btf)).Message);
        btf = new CSharpBpf.Object.Btf.Btf();
        btf.AddInt("both", 4, BtfIntEncoding.Signed | BtfIntEncoding.Bool);
        Assert.Contains("no combination", Assert.Throws<InvalidOperationException>(() => BtfWriter.Write(btf)).Message);

        btf = new CSharpBpf.Object.Btf.Btf();
        var i = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        btf.AddPtr(i.Id).KindFlag = true; // no meaning for PTR: not written, so the result still reads
        Assert.False(BtfReader.Read(BtfWriter.Write(btf)).GetType(2).KindFlag);
    }

    [Fact]
    public void Fuzzed_BTF_only_ever_throws_BpfFormatException()
    {
        byte[] valid = Valid();
        var random = new Random(20261122);
        int rejected = 0;
        for (int round = 0; round < 4000; round++)
        {
            byte[] b = (byte[])valid.Clone();
            int mutations = 1 + random.Next(4);
            for (int m = 0; m < mutations; m++)
            {
                switch (random.Next(4))
                {
                    case 0: b[random.Next(b.Length)] = (byte)random.Next(256); break;
                    case 1: b[random.Next(b.Length)] ^= (byte)(1 << random.Next(8)); break;
                    case 2: Array.Resize(ref b, random.Next(b.Length)); break;
                    default:
                        if (b.Length >= 4) Poke32(b, random.Next(b.Length / 4) * 4, (uint)random.Next()); break;
                }
                if (b.Length == 0) break;
            }
            try
            {
                var btf = BtfReader.Read(b);
                // Whatever was accepted must be usable: format and sizes never blow up.
                BtfRawFormatter.Format(btf, annotate: true);
                BtfWriter.Write(btf);
            }
            catch (BpfFormatException)
            {
                rejected++;
            }
        }
        Assert.InRange(rejected, 100, 4000);
    }
}
