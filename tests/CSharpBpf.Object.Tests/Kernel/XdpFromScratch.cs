using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Object.Tests.Kernel;

/// <summary>
/// A small XDP program built with our object model only (no clang): drop a packet whose first
/// byte is 0xff, pass everything else; with BTF (xdp_md, FUNC_PROTO, FUNC), func_info and line_info.
/// </summary>
internal static class XdpFromScratch
{
    public const string Section = "xdp";
    public const string Function = "xdp_drop_ff";
    public const string SourceFile = "xdp_drop_ff.cs";
    public const uint XdpDrop = 1;
    public const uint XdpPass = 2;

    /// <summary>(first instruction index, source line, text) of each line_info record.</summary>
    public static readonly (int Insn, uint Line, string Text)[] Lines =
    {
        (0, 10, "byte* data = ctx->data, end = ctx->data_end;"),
        (2, 11, "uint verdict = XDP_PASS;"),
        (3, 12, "if (data + 1 > end) return verdict;"),
        (6, 13, "if (*data == 0xff) verdict = XDP_DROP;"),
        (9, 14, "return verdict;"),
    };

    public static Instruction[] Program() => new[]
    {
        Insns.Ldx(MemSize.W, 2, 1, 0),              // r2 = ctx->data
        Insns.Ldx(MemSize.W, 3, 1, 4),              // r3 = ctx->data_end
        Insns.Mov64Imm(0, (int)XdpPass),            // r0 = XDP_PASS
        Insns.Mov64Reg(4, 2),                       // r4 = r2
        Insns.Alu64Imm(AluOp.Add, 4, 1),            // r4 += 1
        Insns.Jmp(JmpOp.Jgt, 4, 3, 3),              // if r4 > r3 goto exit
        Insns.Ldx(MemSize.B, 4, 2, 0),              // r4 = *(u8 *)data
        Insns.JmpImm(JmpOp.Jne, 4, 0xff, 1),        // if r4 != 0xff goto exit
        Insns.Mov64Imm(0, (int)XdpDrop),            // r0 = XDP_DROP
        Insns.Exit(),
    };

    public static BpfObjectFile Build()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        var u32Base = btf.AddInt("unsigned int", 4, BtfIntEncoding.None);
        var u32 = btf.AddTypedef("__u32", u32Base.Id);
        var xdpMd = btf.AddStruct("xdp_md", 24);
        string[] fields = { "data", "data_end", "data_meta", "ingress_ifindex", "rx_queue_index", "egress_ifindex" };
        for (int i = 0; i < fields.Length; i++) xdpMd.AddMember(fields[i], u32.Id, (uint)(i * 32));
        var ctxPtr = btf.AddPtr(xdpMd.Id);
        var i32 = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        var proto = btf.AddFuncProto(i32.Id);
        proto.Parameters.Add(new BtfParam("ctx", ctxPtr.Id));
        var func = btf.AddFunc(Function, proto.Id, BtfFuncLinkage.Global);

        var ext = new BtfExt();
        ext.FuncInfoSection(Section).Records.Add(new BtfFuncInfo(0, func.Id));
        var lines = ext.LineInfoSection(Section);
        foreach (var (insn, line, text) in Lines)
            lines.Records.Add(new BtfLineInfo((uint)insn * 8, SourceFile, text, line, 5)); // byte offsets in an ELF object

        var insns = Program();
        var obj = new BpfObjectFile { License = "GPL", Btf = btf, BtfExt = ext };
        obj.ProgramSections.Add(new BpfProgramSection(Section, insns,
            new[] { new BpfFunction(Function, Section, 0, insns.Length, isGlobal: true) },
            System.Array.Empty<BpfInstructionRelocation>()));
        return obj;
    }
}
