using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

internal sealed partial class PathExplorer
{
    /// <summary>BPF_MAX_VAR_OFF: pointer offsets beyond ±2^29 are refused.</summary>
    private const long MaxVarOff = 1L << 29;

    private void DoAlu(Instruction insn)
    {
        bool is64 = insn.Class == InstructionClass.Alu64;
        var op = insn.AluOp;
        bool useReg = insn.Source == SourceOperand.X;

        if (op == AluOp.Mov)
        {
            DoMov(insn, is64, useReg);
            return;
        }
        if (op == AluOp.Neg || op == AluOp.End)
        {
            var r = ReadReg(insn.Dst);
            if (r.IsPointer) Fail(VerifierErrorCodes.InvalidPtrArith, $"R{insn.Dst} pointer arithmetic with {(op == AluOp.Neg ? "neg" : "byte swap")} prohibited: only += and -= apply to pointers");
            WriteReg(insn.Dst);
            if (op == AluOp.Neg)
            {
                var zero = RegState.ConstScalar(0);
                var src = r.Clone();
                r.CopyFrom(zero);
                ScalarAlu.Apply(r, src, AluOp.Sub, is64, false);
            }
            else DoByteSwap(r, insn, is64);
            return;
        }

        var dst = ReadReg(insn.Dst);
        RegState srcReg;
        if (useReg) srcReg = ReadReg(insn.Src);
        else
        {
            if ((op == AluOp.Div || op == AluOp.Mod) && insn.Imm == 0)
                Fail(VerifierErrorCodes.DivisionByZero, "div by zero: the immediate divisor is 0; divide by a non-zero constant");
            if ((op == AluOp.Lsh || op == AluOp.Rsh || op == AluOp.Arsh) && (insn.Imm < 0 || insn.Imm >= (is64 ? 64 : 32)))
                Fail(VerifierErrorCodes.InvalidInstruction, $"invalid shift {insn.Imm}: shift by 0..{(is64 ? 63 : 31)}");
            srcReg = RegState.ConstScalar(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);
        }
        WriteReg(insn.Dst);

        if (dst.IsPointer || srcReg.IsPointer)
        {
            DoPointerArithmetic(insn, dst, srcReg, op, is64);
            return;
        }
        ScalarAlu.Apply(dst, srcReg, op, is64, insn.Offset == 1);
    }

    private void DoMov(Instruction insn, bool is64, bool useReg)
    {
        if (!useReg)
        {
            var d = WriteReg(insn.Dst);
            d.Reset(RegType.Scalar);
            d.SetConst(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);
            return;
        }
        var src = ReadReg(insn.Src);
        var dst = WriteReg(insn.Dst);
        if (insn.Offset != 0)
        {
            // movsx: sign-extend the low 8/16/32 bits.
            if (src.IsPointer) { dst.BecomeUnknownScalar(); return; }
            var v = src.Clone();
            ScalarAlu.SignExtend(v, insn.Offset, is64);
            dst.CopyFrom(v);
            dst.Id = 0;
            return;
        }
        if (is64)
        {
            // A copy shares the source's id, so bounds learned on either apply to both.
            if (src.IsScalar && src.Id == 0 && !src.IsConst) src.Id = NewId();
            if (insn.Dst != insn.Src) dst.CopyFrom(src);
            return;
        }
        if (src.IsPointer) { dst.BecomeUnknownScalar(); ScalarAlu.Truncate(dst, 4); return; }
        var low = ScalarAlu.Low32(src);
        dst.Reset(RegType.Scalar);
        dst.CopyFrom(low);
        dst.Id = 0;
        if (!dst.Sync()) dst.SetZeroExtended(32);
    }

    private static void DoByteSwap(RegState r, Instruction insn, bool is64)
    {
        int bits = insn.Imm;
        bool toLittle = !is64 && insn.Source == SourceOperand.K;
        if (toLittle)
        {
            // On a little-endian machine "to le" only truncates.
            if (bits < 64) ScalarAlu.Truncate(r, bits / 8);
            r.Id = 0;
            return;
        }
        if (r.IsConst)
        {
            ulong v = r.ConstValue, s = 0;
            for (int i = 0; i < bits / 8; i++) s = (s << 8) | ((v >> (8 * i)) & 0xff);
            r.Reset(RegType.Scalar);
            r.SetConst(s);
            return;
        }
        r.SetZeroExtended(bits);
    }

    private void DoPointerArithmetic(Instruction insn, RegState dst, RegState src, AluOp op, bool is64)
    {
        int d = insn.Dst;
        // Privileged programs may subtract pointers (any width): the result is a number (adjust_reg_min_max_vals).
        if (op == AluOp.Sub && (dst.IsPointer && src.IsPointer || !is64))
        {
            if (dst.MaybeNull || src.MaybeNull)
                Fail(VerifierErrorCodes.NullPointer, $"R{d} pointer arithmetic on {(dst.MaybeNull ? dst : src).TypeName} prohibited, null-check it first");
            dst.BecomeUnknownScalar();
            if (!is64) ScalarAlu.Truncate(dst, 4);
            return;
        }
        if (!is64)
            Fail(VerifierErrorCodes.InvalidPtrArith, $"R{d} 32-bit pointer arithmetic prohibited: use 64-bit += or -= on pointers");
        if (op != AluOp.Add && op != AluOp.Sub)
            Fail(VerifierErrorCodes.InvalidPtrArith,
                $"R{d} pointer arithmetic with {OpName(op)} operator prohibited: only += and -= of a scalar apply to pointers (no pointer * scalar)");

        if (dst.IsPointer && src.IsPointer)
            Fail(VerifierErrorCodes.InvalidPtrArith,
                $"R{d} pointer += pointer prohibited: add a number to a pointer, or subtract two pointers to get their distance");

        RegState ptr, scalar;
        if (dst.IsPointer) { ptr = dst; scalar = src; }
        else
        {
            if (op == AluOp.Sub)
                Fail(VerifierErrorCodes.InvalidPtrArith, $"R{d} tried to subtract pointer from scalar: only pointer -= scalar is allowed");
            ptr = src; scalar = dst;
        }

        if (ptr.MaybeNull)
            Fail(ptr.Type == RegType.PtrToMapValue ? VerifierErrorCodes.NullMapValue : VerifierErrorCodes.NullPointer,
                $"R{d} pointer arithmetic on {ptr.TypeName} prohibited, null-check it first: compare the pointer with NULL (if (p) ...) before using it");
        if (ptr.Type is RegType.PtrToPacketEnd or RegType.ConstPtrToMap or RegType.PtrToSocket or RegType.PtrToSockCommon or RegType.PtrToFunc)
            Fail(VerifierErrorCodes.InvalidPtrArith, $"R{d} pointer arithmetic on {ptr.TypeName} prohibited: this pointer may only be passed or compared, not moved");

        var result = ptr.Clone();
        if (scalar.IsConst)
        {
            long c = (long)scalar.ConstValue;
            long off = op == AluOp.Add ? result.Off + c : result.Off - c;
            if (off >= MaxVarOff || off <= -MaxVarOff)
                Fail(VerifierErrorCodes.InvalidPtrArith, $"value {c} makes {ptr.TypeName} pointer be out of bounds");
            result.Off = (int)off;
        }
        else
        {
            if (scalar.SMin == long.MinValue)
                Fail(VerifierErrorCodes.UnboundedMemAccess,
                    $"math between {ptr.TypeName} pointer and register with unbounded min value is not allowed: bounds-check the offset (if (idx < N)) before adding it");
            if (ptr.Type == RegType.PtrToBtfId)
                Fail(VerifierErrorCodes.InvalidPtrArith, $"R{d} variable offset on {ptr.TypeName} prohibited: only constant field offsets apply to kernel struct pointers");
            var v = new RegState { Type = RegType.Scalar, Var = ptr.Var, UMin = ptr.UMin, UMax = ptr.UMax, SMin = ptr.SMin, SMax = ptr.SMax };
            v.U32Min = 0; v.U32Max = uint.MaxValue; v.S32Min = int.MinValue; v.S32Max = int.MaxValue;
            var sum = new RegState { Type = RegType.Scalar };
            sum.MarkUnknown();
            if (op == AluOp.Add) ScalarAlu.Add(v, scalar, sum); else ScalarAlu.Sub(v, scalar, sum);
            if (!sum.Sync()) sum.MarkUnknown();
            result.Var = sum.Var; result.UMin = sum.UMin; result.UMax = sum.UMax; result.SMin = sum.SMin; result.SMax = sum.SMax;
            result.U32Min = sum.U32Min; result.U32Max = sum.U32Max; result.S32Min = sum.S32Min; result.S32Max = sum.S32Max;
            if (result.IsPacketLike)
            {
                // A new variable part: nothing is known about its bounds against data_end yet.
                result.Id = NewId();
                result.Range = 0;
            }
        }
        dst.CopyFrom(result);
    }

    private static string OpName(AluOp op) => op switch
    {
        AluOp.Mul => "*=", AluOp.Div => "/=", AluOp.Mod => "%=", AluOp.Or => "|=", AluOp.And => "&=",
        AluOp.Xor => "^=", AluOp.Lsh => "<<=", AluOp.Rsh => ">>=", AluOp.Arsh => "s>>=", _ => op.ToString(),
    };
}
