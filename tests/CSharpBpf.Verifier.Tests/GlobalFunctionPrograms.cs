using System.Collections.Generic;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier.Tests;

/// <summary>What a test program's second function looks like in BTF: its linkage, return type and parameters.</summary>
public enum ParamKind { Ctx, Int, PairPtr, PairPtrNonNull, VoidPtr, PairByValue }

/// <summary>
/// An XDP program of two functions, "prog" (instruction 0) and "gfn" (label <c>gfn:</c>), with BTF
/// (int, struct xdp_md, struct pair { int a; int b; }, both FUNCs with their FUNC_PROTOs) and func_info, so the
/// kernel and the managed verifier both see gfn's linkage and prototype. The same BTF and func_info go to both.
/// </summary>
public sealed record GlobalFunctionCase(string Name, string Asm, bool KernelAccepts, ParamKind[] Params,
    BtfFuncLinkage Linkage = BtfFuncLinkage.Global, bool ReturnsVoid = false, string? Code = null)
{
    public override string ToString() => Name;

    public Instruction[] Program() => Assembler.Assemble(Asm);

    /// <summary>Index of the instruction after label "gfn:", found as the target of the first bpf-to-bpf call.</summary>
    public int GfnStart()
    {
        var code = Program();
        for (int i = 0; i < code.Length; i++)
            if (code[i].IsJump && code[i].JmpOp == JmpOp.Call && code[i].Src == 1) return i + 1 + code[i].Imm;
        throw new System.InvalidOperationException($"{Name}: the program has no bpf-to-bpf call");
    }

    public (Btf Btf, uint ProgFunc, uint GfnFunc) BuildBtf()
    {
        var btf = new Btf();
        var i32 = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        var xdpMd = btf.AddStruct("xdp_md", 24);
        string[] fields = { "data", "data_end", "data_meta", "ingress_ifindex", "rx_queue_index", "egress_ifindex" };
        for (int i = 0; i < fields.Length; i++) xdpMd.AddMember(fields[i], i32.Id, (uint)(i * 32));
        var ctxPtr = btf.AddPtr(xdpMd.Id);
        var pair = btf.AddStruct("pair", 8);
        pair.AddMember("a", i32.Id, 0);
        pair.AddMember("b", i32.Id, 32);
        var pairPtr = btf.AddPtr(pair.Id);
        var voidPtr = btf.AddPtr(0);

        var mainProto = btf.AddFuncProto(i32.Id);
        mainProto.AddParameter("ctx", ctxPtr.Id);
        var prog = btf.AddFunc("prog", mainProto.Id, BtfFuncLinkage.Global);

        var proto = btf.AddFuncProto(ReturnsVoid ? 0 : i32.Id);
        for (int i = 0; i < Params.Length; i++)
        {
            uint type = Params[i] switch
            {
                ParamKind.Ctx => ctxPtr.Id,
                ParamKind.Int => i32.Id,
                ParamKind.PairPtr or ParamKind.PairPtrNonNull => pairPtr.Id,
                ParamKind.PairByValue => pair.Id,
                _ => voidPtr.Id,
            };
            proto.AddParameter($"a{i}", type);
        }
        var gfn = btf.AddFunc("gfn", proto.Id, Linkage);
        for (int i = 0; i < Params.Length; i++)
            if (Params[i] == ParamKind.PairPtrNonNull) btf.AddDeclTag("arg:nonnull", gfn.Id, i);
        return (btf, prog.Id, gfn.Id);
    }

    /// <summary>The managed verifier's spec: XDP, the BTF, func_info (instruction indexes).</summary>
    public VerifierProgramSpec Spec(Btf btf, uint progFunc, uint gfnFunc) => new(VerifierProgramType.Xdp)
    {
        Name = Name,
        Btf = btf,
        FunctionInfo = new[] { new FunctionInfoRecord(0, progFunc), new FunctionInfoRecord(GfnStart(), gfnFunc) },
    };

    /// <summary>bpf_func_info for PROG_LOAD: (instruction index, FUNC id) pairs.</summary>
    public uint[] KernelFuncInfo(uint progFunc, uint gfnFunc) => new[] { 0u, progFunc, (uint)GfnStart(), gfnFunc };
}
