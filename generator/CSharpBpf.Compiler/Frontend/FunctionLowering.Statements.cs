using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

internal sealed partial class FunctionLowering
{
    private void LowerStatement(IOperation op)
    {
        if (_b.IsTerminated) StartDeadBlock();
        At(op);
        switch (op)
        {
            case IBlockOperation block:
                foreach (var s in block.Operations) LowerStatement(s);
                break;
            case IVariableDeclarationGroupOperation group:
                foreach (var decl in group.Declarations)
                    foreach (var d in decl.Declarators) LowerDeclarator(d, decl.Initializer);
                break;
            case IExpressionStatementOperation es:
                LowerEffect(es.Operation);
                break;
            case IReturnOperation ret:
                LowerReturn(ret);
                break;
            case IConditionalOperation cond:
                LowerIf(cond);
                break;
            case IWhileLoopOperation w:
                if (UnrollRequested) throw NotUnrollable(w);
                LowerWhile(w);
                break;
            case IForLoopOperation f when UnrollRequested:
                LowerUnrolled(f);
                break;
            case IForLoopOperation f:
                LowerFor(f);
                break;
            case IForEachLoopOperation fe:
                if (UnrollRequested) throw NotUnrollable(fe);
                LowerForEach(fe);
                break;
            case ISwitchOperation sw:
                LowerSwitch(sw);
                break;
            case IBranchOperation br:
                LowerBranch(br);
                break;
            case IEmptyOperation or ILocalFunctionOperation:
                break; // local functions are lowered as their own functions when called
            default:
                throw LoweringException.Unsupported(op, op.Kind + " statement");
        }
    }

    private void LowerDeclarator(IVariableDeclaratorOperation d, IVariableInitializerOperation? groupInit)
    {
        var storage = DeclareLocal(d.Symbol);
        var init = d.Initializer ?? groupInit;
        if (init is null) return;
        if (storage is RefStorage rs)
        {
            rs.Pointer = AddressOfPlace(init.Value);
            return;
        }
        AssignTo(PlaceOfLocal(d.Symbol), init.Value);
    }

    private void LowerReturn(IReturnOperation ret)
    {
        if (ret.ReturnedValue is null) { _b.Return(); return; }
        var v = Value(ret.ReturnedValue);
        _b.Return(v);
    }

    private void LowerIf(IConditionalOperation cond)
    {
        var then = _b.NewBlock("then");
        var end = _b.NewBlock("endif");
        var @else = cond.WhenFalse is null ? end : _b.NewBlock("else");
        Condition(cond.Condition, then, @else);
        _b.SetBlock(then);
        LowerStatement(cond.WhenTrue);
        JumpTo(end);
        if (cond.WhenFalse is not null)
        {
            _b.SetBlock(@else);
            LowerStatement(cond.WhenFalse);
            JumpTo(end);
        }
        _b.SetBlock(end);
    }

    private void LowerWhile(IWhileLoopOperation w)
    {
        var head = _b.NewBlock("loop.head");
        var body = _b.NewBlock("loop.body");
        var end = _b.NewBlock("loop.end");
        if (w.ConditionIsTop)
        {
            JumpTo(head);
            _b.SetBlock(head);
            if (w.Condition is null) JumpTo(body);
            else Condition(w.Condition, body, end, negate: w.ConditionIsUntil);
            _b.SetBlock(body);
            _targets.Push((end, head));
            LowerStatement(w.Body);
            _targets.Pop();
            JumpTo(head);
        }
        else
        {
            // do { body } while (cond): continue goes to the condition.
            JumpTo(body);
            _b.SetBlock(body);
            _targets.Push((end, head));
            LowerStatement(w.Body);
            _targets.Pop();
            JumpTo(head);
            _b.SetBlock(head);
            if (w.Condition is null) JumpTo(body);
            else Condition(w.Condition, body, end, negate: w.ConditionIsUntil);
        }
        _b.SetBlock(end);
    }

    private void LowerFor(IForLoopOperation f)
    {
        foreach (var s in f.Before) LowerStatement(s);
        var head = _b.NewBlock("for.head");
        var body = _b.NewBlock("for.body");
        var step = _b.NewBlock("for.step");
        var end = _b.NewBlock("for.end");
        JumpTo(head);
        _b.SetBlock(head);
        if (f.Condition is null) JumpTo(body);
        else Condition(f.Condition, body, end);
        _b.SetBlock(body);
        _targets.Push((end, step));
        LowerStatement(f.Body);
        _targets.Pop();
        JumpTo(step);
        _b.SetBlock(step);
        foreach (var s in f.AtLoopBottom) LowerStatement(s);
        JumpTo(head);
        _b.SetBlock(end);
    }

    /// <summary>A compare chain: C# sections cannot fall through, so each clause jumps to its section's body.</summary>
    private void LowerSwitch(ISwitchOperation sw)
    {
        var type = sw.Value.Type!;
        var value = Value(sw.Value);
        var end = _b.NewBlock("switch.end");
        var bodies = sw.Cases.Select(_ => _b.NewBlock("case")).ToList();
        BasicBlock? defaultBlock = null;
        var width = WidthOf(type);
        bool signed = IntInfo(type).Signed;
        for (int i = 0; i < sw.Cases.Length; i++)
        {
            foreach (var clause in sw.Cases[i].Clauses)
            {
                At(clause);
                switch (clause)
                {
                    case IDefaultCaseClauseOperation:
                        defaultBlock = bodies[i];
                        break;
                    case ISingleValueCaseClauseOperation sv:
                        var next = _b.NewBlock("case.next");
                        Branch(CmpOp.Eq, value, ConstantOperand(sv.Value), bodies[i], next, width);
                        _b.SetBlock(next);
                        break;
                    case IPatternCaseClauseOperation { Guard: null } pc:
                        var next2 = _b.NewBlock("case.next");
                        PatternCondition(value, type, pc.Pattern, bodies[i], next2);
                        _b.SetBlock(next2);
                        break;
                    default:
                        throw LoweringException.Unsupported(clause, "switch label (use constant cases, relational patterns or default)");
                }
            }
        }
        JumpTo(defaultBlock ?? end);
        _targets.Push((end, _targets.Count > 0 ? _targets.Peek().Continue : null));
        for (int i = 0; i < sw.Cases.Length; i++)
        {
            _b.SetBlock(bodies[i]);
            foreach (var s in sw.Cases[i].Body) LowerStatement(s);
            JumpTo(end);
        }
        _targets.Pop();
        _b.SetBlock(end);
    }

    private static CmpOp RelationalCmp(BinaryOperatorKind kind, bool signed) => kind switch
    {
        BinaryOperatorKind.LessThan => signed ? CmpOp.Slt : CmpOp.Ult,
        BinaryOperatorKind.LessThanOrEqual => signed ? CmpOp.Sle : CmpOp.Ule,
        BinaryOperatorKind.GreaterThan => signed ? CmpOp.Sgt : CmpOp.Ugt,
        BinaryOperatorKind.GreaterThanOrEqual => signed ? CmpOp.Sge : CmpOp.Uge,
        BinaryOperatorKind.Equals => CmpOp.Eq,
        _ => CmpOp.Ne,
    };

    private Operand ConstantOperand(IOperation op)
    {
        if (!op.ConstantValue.HasValue) throw LoweringException.Unsupported(op, "non-constant case value");
        return Normalize(Constants.ToLong(op.ConstantValue.Value), op.Type!);
    }

    private void LowerBranch(IBranchOperation br)
    {
        if (_targets.Count == 0) throw LoweringException.Unsupported(br, "break or continue outside a loop");
        var (brk, cont) = _targets.Peek();
        switch (br.BranchKind)
        {
            case BranchKind.Break: _b.Jump(brk); break;
            case BranchKind.Continue:
                var target = cont ?? _targets.FirstOrDefault(t => t.Continue is not null).Continue
                    ?? throw LoweringException.Unsupported(br, "continue outside a loop");
                _b.Jump(target);
                break;
            default: throw LoweringException.Unsupported(br, br.BranchKind.ToString());
        }
        StartDeadBlock();
    }
}
