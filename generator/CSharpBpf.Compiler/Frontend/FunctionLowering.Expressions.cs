using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

internal sealed partial class FunctionLowering
{
    /// <summary>An immediate of a C# type, as the IR expects at that type's register width.</summary>
    private static Operand Normalize(long value, ITypeSymbol type) =>
        WidthOf(type) == Width.W32 ? Operand.Const((int)value) : Operand.Const(value);

    /// <summary>Evaluates an expression for its side effects only.</summary>
    private void LowerEffect(IOperation op)
    {
        switch (op)
        {
            case IIncrementOrDecrementOperation inc: IncDec(inc, wantValue: false); break;
            case IInvocationOperation inv: Invoke(inv); break;
            case ISimpleAssignmentOperation a: Assign(a); break;
            case ICompoundAssignmentOperation ca: CompoundAssign(ca); break;
            case IDiscardOperation: break;
            default: Value(op); break;
        }
    }

    /// <summary>The value of a scalar expression (register or immediate).</summary>
    private Operand Value(IOperation op)
    {
        At(op);
        if (op.ConstantValue.HasValue && op.Type is not null && op.Type.SpecialType != SpecialType.System_String)
            return Normalize(Constants.ToLong(op.ConstantValue.Value), op.Type);
        switch (op)
        {
            case ILiteralOperation lit:
                return Normalize(Constants.ToLong(lit.ConstantValue.Value), lit.Type!);
            case IParenthesizedOperation p:
                return Value(p.Operand);
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IInlineArrayAccessOperation:
                return Read(PlaceOf(op));
            case { Kind: OperationKind.None } n when n.Syntax is StackAllocArrayCreationExpressionSyntax:
                return StackAlloc(n);
            case { Kind: OperationKind.None }:
                return Read(PlaceOf(op));
            case IConversionOperation c:
                return Convert(c);
            case IBinaryOperation bin:
                return Binary(bin);
            case IUnaryOperation un:
                return Unary(un);
            case IConditionalOperation cond when cond.WhenFalse is not null:
                return Ternary(cond);
            case ISimpleAssignmentOperation a:
                return Assign(a);
            case ISwitchExpressionOperation sw:
                return SwitchExpression(sw);
            case IIsPatternOperation:
                return BoolValue(op);
            case ICompoundAssignmentOperation ca:
                return CompoundAssign(ca);
            case IIncrementOrDecrementOperation inc:
                return IncDec(inc, wantValue: true);
            case IInvocationOperation inv:
                return Invoke(inv) ?? throw LoweringException.Unsupported(inv, "void call used as a value");
            case IAddressOfOperation addr:
                return AddressOfPlace(addr.Reference);
            case ISizeOfOperation so:
                return Operand.Const(Types.SizeOf(so.TypeOperand));
            case IDefaultValueOperation d:
                return Operand.Const(0);
            case IPropertyReferenceOperation pr when Kernel.KernelTypeLayout.Bitfield(pr.Property) is not null: // kernelkinds
                return ReadKernelBitfield(pr);
            default:
                throw LoweringException.Unsupported(op, op.Kind + " expression");
        }
    }

    /// <summary>A boolean expression as a 0/1 register, through <see cref="Condition"/>.</summary>
    private Operand BoolValue(IOperation cond)
    {
        var result = _b.Reg(Width.W32, "bool");
        var t = _b.NewBlock("bool.true");
        var f = _b.NewBlock("bool.false");
        var end = _b.NewBlock("bool.end");
        Condition(cond, t, f);
        _b.SetBlock(t);
        _b.Move(result, 1);
        JumpTo(end);
        _b.SetBlock(f);
        _b.Move(result, 0);
        JumpTo(end);
        _b.SetBlock(end);
        return result;
    }

    /// <summary>value switch { pattern => result, … }: a compare chain writing one result register.</summary>
    private Operand SwitchExpression(ISwitchExpressionOperation sw)
    {
        var valueType = sw.Value.Type!;
        var value = Value(sw.Value);
        var result = NewRegFor(sw.Type!, "switch");
        var end = _b.NewBlock("switch.end");
        foreach (var arm in sw.Arms)
        {
            At(arm);
            if (arm.Guard is not null) throw LoweringException.Unsupported(arm, "switch arm with a 'when' guard");
            var body = _b.NewBlock("arm");
            var next = _b.NewBlock("arm.next");
            PatternCondition(value, valueType, arm.Pattern, body, next);
            _b.SetBlock(body);
            _b.Move(result, Value(arm.Value));
            JumpTo(end);
            _b.SetBlock(next);
        }
        // no arm matched: C# throws SwitchExpressionException; BPF cannot, so the result is 0
        _b.Move(result, 0);
        JumpTo(end);
        _b.SetBlock(end);
        return result;
    }

    private Operand StackAlloc(IOperation n)
    {
        var count = n.ChildOperations.FirstOrDefault();
        if (count?.ConstantValue.Value is not int c || n.Type is not IPointerTypeSymbol pt)
            throw LoweringException.Unsupported(n, "stackalloc with a non-constant length");
        int elem = Types.SizeOf(pt.PointedAtType);
        var slot = _f.NewSlot(System.Math.Max(1, elem * c), 8, "stackalloc");
        var addr = _b.FrameAddr(slot);
        ZeroBytes(new MemPlace(addr, 0, pt.PointedAtType), elem * c); // the verifier rejects reads of uninitialised stack
        return addr;
    }

    private Operand Assign(ISimpleAssignmentOperation a)
    {
        if (a.IsRef)
        {
            if (a.Target is ILocalReferenceOperation lr && _locals[lr.Local] is RefStorage rs)
            {
                rs.Pointer = AddressOfPlace(a.Value);
                return rs.Pointer;
            }
            throw LoweringException.Unsupported(a, "ref assignment");
        }
        var place = PlaceOf(a.Target);
        if (NeedsMemory(place.Type))
        {
            AssignTo(place, a.Value);
            return Operand.Const(0);
        }
        var v = Value(a.Value);
        Write(place, v);
        return v;
    }

    private Operand CompoundAssign(ICompoundAssignmentOperation ca)
    {
        var place = PlaceOf(ca.Target);
        var targetType = ca.Target.Type!;
        var current = Read(place);
        Operand result;
        if (targetType is IPointerTypeSymbol ptr)
        {
            var rhs = Value(ca.Value);
            var scaled = ScaledIndex(rhs, ca.Value.Type!, Types.SizeOf(ptr.PointedAtType));
            result = _b.Binary(ca.OperatorKind == BinaryOperatorKind.Subtract ? BinOp.Sub : BinOp.Add, current, scaled, pointer: true);
        }
        else
        {
            bool shift = ca.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift;
            var opType = shift ? Promote(targetType) : Promote(ca.Value.Type!);
            if (targetType.SpecialType == SpecialType.System_Boolean) opType = targetType;
            var left = ConvertValue(current, targetType, opType);
            var right = Value(ca.Value);
            var r = Arith(ca.OperatorKind, left, right, opType, ca.Value.Type!, ca);
            result = ConvertValue(r, opType, targetType);
        }
        Write(place, result);
        return result;
    }

    /// <summary>C#'s numeric promotion: types narrower than int compute as int; enums as their underlying type.</summary>
    private ITypeSymbol Promote(ITypeSymbol t)
    {
        if (t.TypeKind == TypeKind.Enum) t = ((INamedTypeSymbol)t).EnumUnderlyingType!;
        var (bits, _) = IntInfo(t);
        return bits < 32 && t.SpecialType != SpecialType.System_Boolean ? Compilation.GetSpecialType(SpecialType.System_Int32) : t;
    }

    private Operand IncDec(IIncrementOrDecrementOperation inc, bool wantValue)
    {
        var place = PlaceOf(inc.Target);
        var type = inc.Target.Type!;
        var old = Read(place);
        bool up = inc.Kind == OperationKind.Increment;
        Operand updated;
        if (type is IPointerTypeSymbol pt)
            updated = _b.Binary(up ? BinOp.Add : BinOp.Sub, old, Types.SizeOf(pt.PointedAtType), pointer: true);
        else
        {
            var r = _b.Binary(up ? BinOp.Add : BinOp.Sub, old, 1, WidthOf(type));
            updated = NormalizeNarrow(r, type);
        }
        Operand oldValue = old;
        if (inc.IsPostfix && wantValue && old.IsReg && place is RegPlace)
        {
            // the register is about to be overwritten: keep the old value
            var copy = _f.NewRegLike(old.Reg!);
            _b.Move(copy, old);
            oldValue = copy;
        }
        Write(place, updated);
        return inc.IsPostfix ? oldValue : updated;
    }

    /// <summary>Re-extends a 32-bit result to the normalised form of a narrower type (byte, short…).</summary>
    private Operand NormalizeNarrow(Operand v, ITypeSymbol type)
    {
        var (bits, signed) = IntInfo(type);
        if (bits >= 32 || type.SpecialType == SpecialType.System_Boolean) return v;
        var d = _b.Reg(Width.W32);
        _b.Emit(new ConvertInst(d, v, bits, signed));
        return d;
    }

    private Operand Ternary(IConditionalOperation cond)
    {
        var type = cond.Type!;
        if (NeedsMemory(type)) throw LoweringException.Unsupported(cond, "conditional expression of struct type");
        var result = NewRegFor(type, "cond");
        var t = _b.NewBlock("cond.true");
        var f = _b.NewBlock("cond.false");
        var end = _b.NewBlock("cond.end");
        Condition(cond.Condition, t, f);
        _b.SetBlock(t);
        _b.Move(result, Value(cond.WhenTrue));
        JumpTo(end);
        _b.SetBlock(f);
        _b.Move(result, Value(cond.WhenFalse!));
        JumpTo(end);
        _b.SetBlock(end);
        return result;
    }

    private Operand Unary(IUnaryOperation un)
    {
        if (un.OperatorMethod is not null) throw LoweringException.Unsupported(un, "user-defined operator");
        var type = un.Type!;
        switch (un.OperatorKind)
        {
            case UnaryOperatorKind.Plus: return Value(un.Operand);
            case UnaryOperatorKind.Minus: return _b.Unary(UnOp.Neg, Value(un.Operand), WidthOf(type));
            case UnaryOperatorKind.BitwiseNegation: return _b.Unary(UnOp.Not, Value(un.Operand), WidthOf(type));
            case UnaryOperatorKind.Not: return _b.Binary(BinOp.Xor, Value(un.Operand), 1, Width.W32);
            default: throw LoweringException.Unsupported(un, un.OperatorKind + " operator");
        }
    }

    private Operand Binary(IBinaryOperation bin)
    {
        if (bin.OperatorMethod is not null) throw LoweringException.Unsupported(bin, "user-defined operator");
        var kind = bin.OperatorKind;
        if (kind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr || IsComparison(kind))
        {
            if (IsComparison(kind) && !(kind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr))
            {
                var lt = bin.LeftOperand.Type!;
                var l = Value(bin.LeftOperand);
                var r = Value(bin.RightOperand);
                return Compare(CompareOp(kind, lt), l, r, WidthOf(lt));
            }
            var result = _b.Reg(Width.W32, "bool");
            var t = _b.NewBlock("bool.true");
            var f = _b.NewBlock("bool.false");
            var end = _b.NewBlock("bool.end");
            Condition(bin, t, f);
            _b.SetBlock(t);
            _b.Move(result, 1);
            JumpTo(end);
            _b.SetBlock(f);
            _b.Move(result, 0);
            JumpTo(end);
            _b.SetBlock(end);
            return result;
        }
        var type = bin.Type!;
        var leftType = bin.LeftOperand.Type!;
        var rightType = bin.RightOperand.Type!;
        // pointer arithmetic
        if (leftType is IPointerTypeSymbol lp && rightType is IPointerTypeSymbol && kind == BinaryOperatorKind.Subtract)
        {
            var diff = _b.Binary(BinOp.Sub, Value(bin.LeftOperand), Value(bin.RightOperand), Width.W64);
            int size = Types.SizeOf(lp.PointedAtType);
            return size == 1 ? diff : _b.Binary(BinOp.SDiv, diff, size, Width.W64);
        }
        if (type is IPointerTypeSymbol pt)
        {
            bool ptrLeft = leftType is IPointerTypeSymbol;
            var ptr = Value(ptrLeft ? bin.LeftOperand : bin.RightOperand);
            var idxOp = ptrLeft ? bin.RightOperand : bin.LeftOperand;
            var scaled = ScaledIndex(Value(idxOp), idxOp.Type!, Types.SizeOf(pt.PointedAtType));
            return _b.Binary(kind == BinaryOperatorKind.Subtract ? BinOp.Sub : BinOp.Add, ptr, scaled, pointer: true);
        }
        var left = Value(bin.LeftOperand);
        var right = Value(bin.RightOperand);
        return Arith(kind, left, right, type, rightType, bin);
    }

    /// <summary>left op right computed in <paramref name="type"/> (already promoted), C# semantics.</summary>
    private Operand Arith(BinaryOperatorKind kind, Operand left, Operand right, ITypeSymbol type, ITypeSymbol rightType, IOperation at)
    {
        var width = WidthOf(type);
        bool signed = IntInfo(type).Signed;
        if (kind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
        {
            // the count is an int; bring it to the shifted value's width (eBPF and C# both mask it)
            if (right.IsReg && right.Reg!.Width != width)
            {
                var c = _b.Reg(width);
                _b.Emit(new ConvertInst(c, right, 32, false));
                right = c;
            }
            else if (right.IsImm) right = Operand.Const(right.Imm & (width == Width.W64 ? 63 : 31));
        }
        BinOp op = kind switch
        {
            BinaryOperatorKind.Add => BinOp.Add,
            BinaryOperatorKind.Subtract => BinOp.Sub,
            BinaryOperatorKind.Multiply => BinOp.Mul,
            BinaryOperatorKind.Divide => signed ? BinOp.SDiv : BinOp.UDiv,
            BinaryOperatorKind.Remainder => signed ? BinOp.SRem : BinOp.URem,
            BinaryOperatorKind.And => BinOp.And,
            BinaryOperatorKind.Or => BinOp.Or,
            BinaryOperatorKind.ExclusiveOr => BinOp.Xor,
            BinaryOperatorKind.LeftShift => BinOp.Shl,
            BinaryOperatorKind.RightShift => signed ? BinOp.AShr : BinOp.LShr,
            BinaryOperatorKind.UnsignedRightShift => BinOp.LShr,
            _ => throw LoweringException.Unsupported(at, kind + " operator"),
        };
        if (left.IsImm && right.IsImm) return Normalize(Fold(op, left.Imm, right.Imm, width), type);
        if (left.IsImm) left = _b.Const(width, left.Imm);
        return _b.Binary(op, left, right, width);
    }

    private static long Fold(BinOp op, long a, long b, Width w)
    {
        if (w == Width.W32) { a = (int)a; b = (int)b; }
        unchecked
        {
            long r = op switch
            {
                BinOp.Add => a + b,
                BinOp.Sub => a - b,
                BinOp.Mul => a * b,
                BinOp.And => a & b,
                BinOp.Or => a | b,
                BinOp.Xor => a ^ b,
                BinOp.Shl => w == Width.W32 ? (int)a << (int)(b & 31) : a << (int)(b & 63),
                BinOp.AShr => w == Width.W32 ? (int)a >> (int)(b & 31) : a >> (int)(b & 63),
                BinOp.LShr => w == Width.W32 ? (long)((uint)a >> (int)(b & 31)) : (long)((ulong)a >> (int)(b & 63)),
                BinOp.UDiv => b == 0 ? 0 : w == Width.W32 ? (long)((uint)a / (uint)b) : (long)((ulong)a / (ulong)b),
                BinOp.URem => b == 0 ? a : w == Width.W32 ? (long)((uint)a % (uint)b) : (long)((ulong)a % (ulong)b),
                BinOp.SDiv => b == 0 ? 0 : (b == -1 ? -a : w == Width.W32 ? (int)a / (int)b : a / b),
                BinOp.SRem => b == 0 ? a : (b == -1 ? 0 : w == Width.W32 ? (int)a % (int)b : a % b),
                _ => 0,
            };
            return w == Width.W32 ? (int)r : r;
        }
    }

    private static bool IsComparison(BinaryOperatorKind k) => k is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or
        BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or
        BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr;

    private static CmpOp CompareOp(BinaryOperatorKind k, ITypeSymbol operandType)
    {
        bool signed = IntInfo(operandType).Signed;
        return k switch
        {
            BinaryOperatorKind.Equals => CmpOp.Eq,
            BinaryOperatorKind.NotEquals => CmpOp.Ne,
            BinaryOperatorKind.LessThan => signed ? CmpOp.Slt : CmpOp.Ult,
            BinaryOperatorKind.LessThanOrEqual => signed ? CmpOp.Sle : CmpOp.Ule,
            BinaryOperatorKind.GreaterThan => signed ? CmpOp.Sgt : CmpOp.Ugt,
            _ => signed ? CmpOp.Sge : CmpOp.Uge,
        };
    }

    /// <summary>Branches to <paramref name="ifTrue"/> or <paramref name="ifFalse"/> on a boolean expression,
    /// short-circuiting &amp;&amp; and || and fusing comparisons into conditional jumps.</summary>
    private void Condition(IOperation cond, BasicBlock ifTrue, BasicBlock ifFalse, bool negate = false)
    {
        if (negate) (ifTrue, ifFalse) = (ifFalse, ifTrue);
        At(cond);
        if (cond.ConstantValue.HasValue && cond.ConstantValue.Value is bool bv)
        {
            _b.Jump(bv ? ifTrue : ifFalse);
            return;
        }
        switch (cond)
        {
            case IParenthesizedOperation p:
                Condition(p.Operand, ifTrue, ifFalse);
                return;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                Condition(not.Operand, ifFalse, ifTrue);
                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd, OperatorMethod: null } and:
                var mid = _b.NewBlock("and.rhs");
                Condition(and.LeftOperand, mid, ifFalse);
                _b.SetBlock(mid);
                Condition(and.RightOperand, ifTrue, ifFalse);
                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr, OperatorMethod: null } or:
                var mid2 = _b.NewBlock("or.rhs");
                Condition(or.LeftOperand, ifTrue, mid2);
                _b.SetBlock(mid2);
                Condition(or.RightOperand, ifTrue, ifFalse);
                return;
            case IIsPatternOperation isp:
                IsPatternCondition(isp, ifTrue, ifFalse);
                return;
            case IBinaryOperation { OperatorMethod: null } cmp when IsComparison(cmp.OperatorKind):
                var lt = cmp.LeftOperand.Type!;
                var l = Value(cmp.LeftOperand);
                var r = Value(cmp.RightOperand);
                Branch(CompareOp(cmp.OperatorKind, lt), l, r, ifTrue, ifFalse, WidthOf(lt));
                return;
        }
        var v = Value(cond);
        Branch(CmpOp.Ne, v, 0, ifTrue, ifFalse, Width.W32);
    }

    /// <summary>A conditional jump with a register on the left (swapping the operator when needed) or, for two constants, a plain jump.</summary>
    private void Branch(CmpOp op, Operand l, Operand r, BasicBlock ifTrue, BasicBlock ifFalse, Width width)
    {
        if (l.IsImm && r.IsImm) { _b.Jump(Evaluate(op, l.Imm, r.Imm, width) ? ifTrue : ifFalse); return; }
        if (l.IsImm) (l, r, op) = (r, l, op.Swap());
        _b.Branch(op, l, r, ifTrue, ifFalse, width);
    }

    private Operand Compare(CmpOp op, Operand l, Operand r, Width width)
    {
        if (l.IsImm && r.IsImm) return Operand.Const(Evaluate(op, l.Imm, r.Imm, width) ? 1 : 0);
        if (l.IsImm) (l, r, op) = (r, l, op.Swap());
        return _b.Compare(op, l, r, width);
    }

    private static bool Evaluate(CmpOp op, long a, long b, Width w)
    {
        if (w == Width.W32) { a = (int)a; b = (int)b; }
        ulong ua = w == Width.W32 ? (uint)a : (ulong)a, ub = w == Width.W32 ? (uint)b : (ulong)b;
        return op switch
        {
            CmpOp.Eq => a == b, CmpOp.Ne => a != b,
            CmpOp.Slt => a < b, CmpOp.Sle => a <= b, CmpOp.Sgt => a > b, CmpOp.Sge => a >= b,
            CmpOp.Ult => ua < ub, CmpOp.Ule => ua <= ub, CmpOp.Ugt => ua > ub, CmpOp.Uge => ua >= ub,
            _ => (a & b) != 0,
        };
    }
}
