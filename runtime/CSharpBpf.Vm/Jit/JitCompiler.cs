using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm.Execution;

namespace CSharpBpf.Vm.Jit;

/// <summary>
/// Translates a decoded program to IL, one DynamicMethod per function, so the .NET JIT produces
/// native code. Registers are IL locals, jumps are IL branches, immediates are IL constants. The
/// budget lives in a local and is charged on the same edges as in the interpreter (entry, after
/// every jump, call and return), so both engines stop at the same instruction. Loads and stores
/// inline the region-table bounds check (see <see cref="Memory.AddressSpace"/>) and fall back to
/// the machine's slow path, which handles rewritten contexts and reports violations.
/// </summary>
internal static class JitCompiler
{
    private static readonly Type[] Params = { typeof(JitProgram), typeof(BpfMachine), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong) };
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly FieldInfo BudgetField = typeof(BpfMachine).GetField(nameof(BpfMachine.Budget), Any)!;
    private static readonly FieldInfo TableField = typeof(BpfMachine).GetField(nameof(BpfMachine.RegionTablePtr), Any)!;
    private static readonly FieldInfo ParkingField = typeof(BpfMachine).GetField(nameof(BpfMachine.JitParking), Any)!;
    private static readonly FieldInfo StackDataField = typeof(BpfMachine).GetField(nameof(BpfMachine.StackDataPtr), Any)!;
    private static readonly MethodInfo SlowLoad = typeof(BpfMachine).GetMethod(nameof(BpfMachine.SlowLoad), Any)!;
    private static readonly MethodInfo SlowStore = typeof(BpfMachine).GetMethod(nameof(BpfMachine.SlowStore), Any)!;
    private static readonly MethodInfo AtomicMethod = typeof(BpfMachine).GetMethod(nameof(BpfMachine.Atomic), Any)!;
    private static readonly MethodInfo LegacyLoad = typeof(BpfMachine).GetMethod(nameof(BpfMachine.LegacyPacketLoad), Any)!;
    private static readonly MethodInfo CallHelperMethod = typeof(BpfMachine).GetMethod(nameof(BpfMachine.CallHelper), Any)!;
    private static readonly MethodInfo CallKfuncMethod = typeof(BpfMachine).GetMethod(nameof(BpfMachine.CallKfunc), Any)!;
    private static readonly MethodInfo TryTailCallMethod = typeof(BpfMachine).GetMethod(nameof(BpfMachine.TryTailCall), Any)!;
    private static readonly MethodInfo EnterFrameMethod = typeof(BpfMachine).GetMethod(nameof(BpfMachine.EnterFrame), Any)!;
    private static readonly MethodInfo LeaveFrameMethod = typeof(BpfMachine).GetMethod(nameof(BpfMachine.LeaveFrame), Any)!;
    private static readonly MethodInfo InvalidMethod = typeof(JitRuntime).GetMethod(nameof(JitRuntime.Invalid))!;
    private static readonly MethodInfo BudgetMethod = typeof(JitRuntime).GetMethod(nameof(JitRuntime.Budget))!;
    private static readonly MethodInfo RunTailMethod = typeof(JitRuntime).GetMethod(nameof(JitRuntime.RunTail))!;
    private static readonly MethodInfo CallIndirectMethod = typeof(JitRuntime).GetMethod(nameof(JitRuntime.CallIndirect))!;

    public static JitProgram Compile(VmProgram program)
    {
        var jit = new JitProgram(program);
        var dp = program.Decoded;
        foreach (int entry in dp.FunctionEntries)
            jit.Methods[entry] = new DynamicMethod($"bpf_{program.Name}_{entry}", typeof(ulong), Params, typeof(BpfMachine).Module, skipVisibility: true);
        foreach (var kv in jit.Methods)
            new FunctionEmitter(jit, dp, kv.Key, kv.Value.GetILGenerator()).Emit();
        jit.Main = jit.FunctionAt(0);
        return jit;
    }

    private sealed class FunctionEmitter
    {
        private readonly JitProgram _jit;
        private readonly DecodedProgram _dp;
        private readonly int _entry;
        private readonly ILGenerator _il;
        private readonly LocalBuilder[] _r = new LocalBuilder[11];
        private readonly LocalBuilder _budget, _addr, _id, _entryPtr, _off, _tmp;
        // The last region an access resolved through the table, kept in three locals so repeated
        // accesses to it (a packet loop) cost one compare. One cache serves loads and stores: two
        // caches (six long-lived locals beside the eBPF registers) made the .NET register allocator
        // spill inside loops. So only regions that are as writable as they are readable, and at least
        // 8 bytes long (limit = length - 8 never underflows), are cached; after every call the cache
        // falls back to the stack, which never moves, since helpers may move or remove regions.
        private readonly LocalBuilder _cBase, _cData, _cLim;
        private readonly Dictionary<int, Label> _labels = new();
        private readonly List<(Label Label, int Pc)> _budgetStubs = new();
        private readonly List<(Label Label, int Target)> _takenStubs = new();
        // Cold paths (region-table lookups, slow loads/stores) emitted after the body, so an access
        // that hits the cached region runs straight through without a taken jump.
        private readonly List<Action> _coldPaths = new();
        private readonly int _capacity;
        private RegisterLiveness _liveness = null!;

        public FunctionEmitter(JitProgram jit, DecodedProgram dp, int entry, ILGenerator il)
        {
            _jit = jit;
            _dp = dp;
            _entry = entry;
            _il = il;
            for (int i = 0; i < 11; i++) _r[i] = il.DeclareLocal(typeof(ulong));
            _budget = il.DeclareLocal(typeof(long));
            _addr = il.DeclareLocal(typeof(ulong));
            _id = il.DeclareLocal(typeof(ulong));
            _entryPtr = il.DeclareLocal(typeof(nint));
            _off = il.DeclareLocal(typeof(ulong));
            _tmp = il.DeclareLocal(typeof(ulong));
            _cBase = il.DeclareLocal(typeof(ulong));
            _cData = il.DeclareLocal(typeof(nint));
            _cLim = il.DeclareLocal(typeof(ulong));
            _capacity = jit.Program.Machine.Memory.Capacity;
        }

        private Label LabelOf(int pc)
        {
            if (!_labels.TryGetValue(pc, out var l)) _labels[pc] = l = _il.DefineLabel();
            return l;
        }

        private SortedSet<int> Reachable()
        {
            var seen = new SortedSet<int>();
            var work = new Stack<int>();
            work.Push(_entry);
            while (work.Count > 0)
            {
                int pc = work.Pop();
                if (pc < 0 || pc >= _dp.Code.Length || !seen.Add(pc)) continue;
                var ins = _dp.Code[pc];
                switch (ins.Op)
                {
                    case Uop.Invalid or Uop.Exit: break;
                    case Uop.Ja: work.Push(ins.Target); break;
                    case >= Uop.Jeq64 and <= Uop.Jsle32: work.Push(ins.Target); work.Push(pc + 1); break;
                    case Uop.LdImm64: work.Push(pc + 2); break;
                    default: work.Push(pc + 1); break;
                }
            }
            return seen;
        }

        public void Emit()
        {
            var il = _il;
            for (int i = 1; i <= 5; i++)
            {
                il.Emit(OpCodes.Ldarg, (short)(i + 1));
                il.Emit(OpCodes.Stloc, _r[i]);
            }
            il.Emit(OpCodes.Ldarg, (short)7);
            il.Emit(OpCodes.Stloc, _r[10]);
            ForgetHotRegion();
            LoadBudget();
            Charge(_entry);
            il.Emit(OpCodes.Br, LabelOf(_entry));

            var reachable = Reachable();
            _liveness = new RegisterLiveness(_dp, reachable);
            foreach (int pc in reachable)
            {
                il.MarkLabel(LabelOf(pc));
                EmitInstruction(pc);
            }
            for (int i = 0; i < _coldPaths.Count; i++) _coldPaths[i]();
            foreach (var (label, target) in _takenStubs)
            {
                il.MarkLabel(label);
                Charge(target);
                il.Emit(OpCodes.Br, LabelOf(target));
            }
            foreach (var (label, pc) in _budgetStubs)
            {
                il.MarkLabel(label);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldc_I4, pc);
                il.Emit(OpCodes.Call, BudgetMethod);
                il.Emit(OpCodes.Throw);
            }
        }

        private void LoadBudget()
        {
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldfld, BudgetField);
            _il.Emit(OpCodes.Stloc, _budget);
        }

        private void StoreBudget()
        {
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldloc, _budget);
            _il.Emit(OpCodes.Stfld, BudgetField);
        }

        /// <summary>budget -= Charge[pc]; if negative, stop with "budget exhausted at pc".</summary>
        private void Charge(int pc)
        {
            var stub = _il.DefineLabel();
            _budgetStubs.Add((stub, pc));
            _il.Emit(OpCodes.Ldloc, _budget);
            _il.Emit(OpCodes.Ldc_I8, (long)_dp.Charge[pc]);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Stloc, _budget);
            _il.Emit(OpCodes.Ldc_I8, 0L);
            _il.Emit(OpCodes.Blt, stub);
        }

        private void Operand(int pc, in DecodedInsn ins)
        {
            if (ins.S < DecodedProgram.RegisterCount) _il.Emit(OpCodes.Ldloc, _r[ins.S]);
            else _il.Emit(OpCodes.Ldc_I8, (long)_dp.Constants[ins.S - DecodedProgram.RegisterCount]);
        }

        private void Dst(in DecodedInsn ins) => _il.Emit(OpCodes.Ldloc, _r[ins.D]);

        private void SetDst(in DecodedInsn ins) => _il.Emit(OpCodes.Stloc, _r[ins.D]);

        private void Zext32() // int32/int64 on the stack -> zero-extended 64-bit
        {
            _il.Emit(OpCodes.Conv_U4);
            _il.Emit(OpCodes.Conv_U8);
        }

        private void Binary(int pc, in DecodedInsn ins, OpCode op, bool is32)
        {
            Dst(ins);
            Operand(pc, ins);
            _il.Emit(op);
            if (is32) Zext32();
            SetDst(ins);
        }

        private void Shift(int pc, in DecodedInsn ins, OpCode op, bool is32, bool signed)
        {
            Dst(ins);
            if (is32) _il.Emit(signed ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
            Operand(pc, ins);
            _il.Emit(OpCodes.Conv_I4);
            _il.Emit(OpCodes.Ldc_I4, is32 ? 31 : 63); // RFC 9669 masks the shift count; IL leaves oversize shifts undefined
            _il.Emit(OpCodes.And);
            _il.Emit(op);
            if (is32) Zext32();
            SetDst(ins);
        }

        private void Semantic(int pc, in DecodedInsn ins, string method)
        {
            Dst(ins);
            Operand(pc, ins);
            _il.Emit(OpCodes.Call, typeof(AluSemantics).GetMethod(method)!);
            SetDst(ins);
        }

        private void Unary(in DecodedInsn ins, string method)
        {
            Dst(ins);
            _il.Emit(OpCodes.Call, typeof(AluSemantics).GetMethod(method)!);
            SetDst(ins);
        }

        private static OpCode Inverse(OpCode op) =>
            op == OpCodes.Beq ? OpCodes.Bne_Un : op == OpCodes.Bne_Un ? OpCodes.Beq :
            op == OpCodes.Bgt_Un ? OpCodes.Ble_Un : op == OpCodes.Ble_Un ? OpCodes.Bgt_Un :
            op == OpCodes.Bge_Un ? OpCodes.Blt_Un : op == OpCodes.Blt_Un ? OpCodes.Bge_Un :
            op == OpCodes.Bgt ? OpCodes.Ble : op == OpCodes.Ble ? OpCodes.Bgt :
            op == OpCodes.Bge ? OpCodes.Blt : OpCodes.Bge;

        private void Branch(int pc, in DecodedInsn ins, OpCode op, int width, bool signed, bool jset = false)
        {
            // A backward branch is usually a loop's back edge: lay its taken path out inline, so an
            // iteration costs one taken jump; forward branches keep the fall-through inline.
            bool backward = ins.Target <= pc;
            var taken = _il.DefineLabel();
            if (!backward) _takenStubs.Add((taken, ins.Target));
            Dst(ins);
            if (width == 32) _il.Emit(signed ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
            Operand(pc, ins);
            if (width == 32) _il.Emit(signed ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
            if (jset)
            {
                _il.Emit(OpCodes.And);
                if (width == 32) _il.Emit(OpCodes.Ldc_I4_0);
                else _il.Emit(OpCodes.Ldc_I8, 0L);
            }
            if (backward)
            {
                var notTaken = _il.DefineLabel();
                _il.Emit(Inverse(op), notTaken);
                Charge(ins.Target);
                _il.Emit(OpCodes.Br, LabelOf(ins.Target));
                _il.MarkLabel(notTaken);
            }
            else _il.Emit(op, taken);
            Charge(pc + 1);
            _il.Emit(OpCodes.Br, LabelOf(pc + 1));
        }

        private void EmitInstruction(int pc)
        {
            var il = _il;
            var ins = _dp.Code[pc];
            switch (ins.Op)
            {
                case Uop.Add64: Binary(pc, ins, OpCodes.Add, false); break;
                case Uop.Sub64: Binary(pc, ins, OpCodes.Sub, false); break;
                case Uop.Mul64: Binary(pc, ins, OpCodes.Mul, false); break;
                case Uop.Or64: Binary(pc, ins, OpCodes.Or, false); break;
                case Uop.And64: Binary(pc, ins, OpCodes.And, false); break;
                case Uop.Xor64: Binary(pc, ins, OpCodes.Xor, false); break;
                case Uop.Add32: Binary(pc, ins, OpCodes.Add, true); break;
                case Uop.Sub32: Binary(pc, ins, OpCodes.Sub, true); break;
                case Uop.Mul32: Binary(pc, ins, OpCodes.Mul, true); break;
                case Uop.Or32: Binary(pc, ins, OpCodes.Or, true); break;
                case Uop.And32: Binary(pc, ins, OpCodes.And, true); break;
                case Uop.Xor32: Binary(pc, ins, OpCodes.Xor, true); break;
                case Uop.Lsh64: Shift(pc, ins, OpCodes.Shl, false, false); break;
                case Uop.Rsh64: Shift(pc, ins, OpCodes.Shr_Un, false, false); break;
                case Uop.Arsh64: Shift(pc, ins, OpCodes.Shr, false, true); break;
                case Uop.Lsh32: Shift(pc, ins, OpCodes.Shl, true, false); break;
                case Uop.Rsh32: Shift(pc, ins, OpCodes.Shr_Un, true, false); break;
                case Uop.Arsh32: Shift(pc, ins, OpCodes.Shr, true, true); break;
                case Uop.Div64:
                    if (ins.S >= DecodedProgram.RegisterCount && _dp.Constants[ins.S - DecodedProgram.RegisterCount] != 0) Binary(pc, ins, OpCodes.Div_Un, false);
                    else Semantic(pc, ins, nameof(AluSemantics.Div64));
                    break;
                case Uop.Mod64:
                    if (ins.S >= DecodedProgram.RegisterCount && _dp.Constants[ins.S - DecodedProgram.RegisterCount] != 0) Binary(pc, ins, OpCodes.Rem_Un, false);
                    else Semantic(pc, ins, nameof(AluSemantics.Mod64));
                    break;
                case Uop.SDiv64: Semantic(pc, ins, nameof(AluSemantics.SDiv64)); break;
                case Uop.SMod64: Semantic(pc, ins, nameof(AluSemantics.SMod64)); break;
                case Uop.Div32: Semantic(pc, ins, nameof(AluSemantics.Div32)); break;
                case Uop.Mod32: Semantic(pc, ins, nameof(AluSemantics.Mod32)); break;
                case Uop.SDiv32: Semantic(pc, ins, nameof(AluSemantics.SDiv32)); break;
                case Uop.SMod32: Semantic(pc, ins, nameof(AluSemantics.SMod32)); break;
                case Uop.Neg64: Dst(ins); il.Emit(OpCodes.Neg); SetDst(ins); break;
                case Uop.Neg32: Dst(ins); il.Emit(OpCodes.Neg); Zext32(); SetDst(ins); break;
                case Uop.Mov64: Operand(pc, ins); SetDst(ins); break;
                case Uop.Mov32: Operand(pc, ins); Zext32(); SetDst(ins); break;
                case Uop.Movsx64x8: Operand(pc, ins); il.Emit(OpCodes.Conv_I1); il.Emit(OpCodes.Conv_I8); SetDst(ins); break;
                case Uop.Movsx64x16: Operand(pc, ins); il.Emit(OpCodes.Conv_I2); il.Emit(OpCodes.Conv_I8); SetDst(ins); break;
                case Uop.Movsx64x32: Operand(pc, ins); il.Emit(OpCodes.Conv_I4); il.Emit(OpCodes.Conv_I8); SetDst(ins); break;
                case Uop.Movsx32x8: Operand(pc, ins); il.Emit(OpCodes.Conv_I1); Zext32(); SetDst(ins); break;
                case Uop.Movsx32x16: Operand(pc, ins); il.Emit(OpCodes.Conv_I2); Zext32(); SetDst(ins); break;
                case Uop.Le16: Dst(ins); il.Emit(OpCodes.Conv_U2); il.Emit(OpCodes.Conv_U8); SetDst(ins); break;
                case Uop.Le32: Dst(ins); Zext32(); SetDst(ins); break;
                case Uop.Le64: break;
                case Uop.Bswap16 or Uop.Be16: Unary(ins, nameof(AluSemantics.Bswap16)); break;
                case Uop.Bswap32 or Uop.Be32: Unary(ins, nameof(AluSemantics.Bswap32)); break;
                case Uop.Bswap64 or Uop.Be64: Unary(ins, nameof(AluSemantics.Bswap64)); break;

                case Uop.Ja:
                    Charge(ins.Target);
                    il.Emit(OpCodes.Br, LabelOf(ins.Target));
                    return;
                case Uop.Jeq64: Branch(pc, ins, OpCodes.Beq, 64, false); return;
                case Uop.Jne64: Branch(pc, ins, OpCodes.Bne_Un, 64, false); return;
                case Uop.Jgt64: Branch(pc, ins, OpCodes.Bgt_Un, 64, false); return;
                case Uop.Jge64: Branch(pc, ins, OpCodes.Bge_Un, 64, false); return;
                case Uop.Jlt64: Branch(pc, ins, OpCodes.Blt_Un, 64, false); return;
                case Uop.Jle64: Branch(pc, ins, OpCodes.Ble_Un, 64, false); return;
                case Uop.Jsgt64: Branch(pc, ins, OpCodes.Bgt, 64, true); return;
                case Uop.Jsge64: Branch(pc, ins, OpCodes.Bge, 64, true); return;
                case Uop.Jslt64: Branch(pc, ins, OpCodes.Blt, 64, true); return;
                case Uop.Jsle64: Branch(pc, ins, OpCodes.Ble, 64, true); return;
                case Uop.Jset64: Branch(pc, ins, OpCodes.Bne_Un, 64, false, jset: true); return;
                case Uop.Jeq32: Branch(pc, ins, OpCodes.Beq, 32, false); return;
                case Uop.Jne32: Branch(pc, ins, OpCodes.Bne_Un, 32, false); return;
                case Uop.Jgt32: Branch(pc, ins, OpCodes.Bgt_Un, 32, false); return;
                case Uop.Jge32: Branch(pc, ins, OpCodes.Bge_Un, 32, false); return;
                case Uop.Jlt32: Branch(pc, ins, OpCodes.Blt_Un, 32, false); return;
                case Uop.Jle32: Branch(pc, ins, OpCodes.Ble_Un, 32, false); return;
                case Uop.Jsgt32: Branch(pc, ins, OpCodes.Bgt, 32, true); return;
                case Uop.Jsge32: Branch(pc, ins, OpCodes.Bge, 32, true); return;
                case Uop.Jslt32: Branch(pc, ins, OpCodes.Blt, 32, true); return;
                case Uop.Jsle32: Branch(pc, ins, OpCodes.Ble, 32, true); return;
                case Uop.Jset32: Branch(pc, ins, OpCodes.Bne_Un, 32, false, jset: true); return;

                case Uop.Exit:
                    StoreBudget();
                    il.Emit(OpCodes.Ldloc, _r[0]);
                    il.Emit(OpCodes.Ret);
                    return;
                case Uop.CallHelper:
                case Uop.CallKfunc:
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Ldc_I4, ins.Imm);
                    for (int i = 1; i <= 5; i++) il.Emit(OpCodes.Ldloc, _r[i]);
                    il.Emit(OpCodes.Ldc_I4, pc);
                    il.Emit(OpCodes.Call, ins.Op == Uop.CallHelper ? CallHelperMethod : CallKfuncMethod);
                    il.Emit(OpCodes.Stloc, _r[0]);
                    ForgetHotRegion();
                    Charge(pc + 1);
                    break;
                case Uop.TailCall:
                {
                    var fallThrough = il.DefineLabel();
                    var target = il.DeclareLocal(typeof(VmProgram));
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Ldloc, _r[2]);
                    il.Emit(OpCodes.Ldloc, _r[3]);
                    il.Emit(OpCodes.Ldc_I4, pc);
                    il.Emit(OpCodes.Call, TryTailCallMethod);
                    il.Emit(OpCodes.Stloc, target);
                    il.Emit(OpCodes.Ldloc, target);
                    il.Emit(OpCodes.Brfalse, fallThrough);
                    StoreBudget();
                    il.Emit(OpCodes.Ldarg_0);
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Ldloc, target);
                    il.Emit(OpCodes.Ldloc, _r[1]);
                    il.Emit(OpCodes.Ldloc, _r[10]);
                    il.Emit(OpCodes.Call, RunTailMethod);
                    il.Emit(OpCodes.Ret);
                    il.MarkLabel(fallThrough);
                    ForgetHotRegion();
                    Charge(pc + 1);
                    break;
                }
                case Uop.CallLocal:
                case Uop.Callx:
                    StoreBudget();
                    if (ins.Op == Uop.CallLocal)
                    {
                        il.Emit(OpCodes.Ldarg_1);
                        il.Emit(OpCodes.Ldc_I4, pc);
                        il.Emit(OpCodes.Call, EnterFrameMethod);
                        il.Emit(OpCodes.Stloc, _tmp);
                        il.Emit(OpCodes.Ldarg_0);
                        il.Emit(OpCodes.Ldarg_1);
                        for (int i = 1; i <= 5; i++) il.Emit(OpCodes.Ldloc, _r[i]);
                        il.Emit(OpCodes.Ldloc, _tmp);
                        il.Emit(OpCodes.Call, _jit.Methods[ins.Target]);
                        il.Emit(OpCodes.Stloc, _r[0]);
                        il.Emit(OpCodes.Ldarg_1);
                        il.Emit(OpCodes.Call, LeaveFrameMethod);
                    }
                    else
                    {
                        il.Emit(OpCodes.Ldarg_0);
                        il.Emit(OpCodes.Ldarg_1);
                        il.Emit(OpCodes.Ldloc, _r[ins.D]);
                        il.Emit(OpCodes.Ldc_I4, pc);
                        for (int i = 1; i <= 5; i++) il.Emit(OpCodes.Ldloc, _r[i]);
                        il.Emit(OpCodes.Call, CallIndirectMethod);
                        il.Emit(OpCodes.Stloc, _r[0]);
                    }
                    LoadBudget();
                    ForgetHotRegion();
                    Charge(pc + 1);
                    break;

                case Uop.LdImm64:
                    il.Emit(OpCodes.Ldc_I8, (long)_dp.Constants[ins.S - DecodedProgram.RegisterCount]);
                    SetDst(ins);
                    // pc + 1 may be emitted too (a jump into the middle), so branch over it explicitly.
                    il.Emit(OpCodes.Br, LabelOf(pc + 2));
                    return;

                case Uop.Ldx8: Load(pc, ins, 1, false); break;
                case Uop.Ldx16: Load(pc, ins, 2, false); break;
                case Uop.Ldx32: Load(pc, ins, 4, false); break;
                case Uop.Ldx64: Load(pc, ins, 8, false); break;
                case Uop.Ldsx8: Load(pc, ins, 1, true); break;
                case Uop.Ldsx16: Load(pc, ins, 2, true); break;
                case Uop.Ldsx32: Load(pc, ins, 4, true); break;
                case Uop.St8 or Uop.Stx8: Store(pc, ins, 1); break;
                case Uop.St16 or Uop.Stx16: Store(pc, ins, 2); break;
                case Uop.St32 or Uop.Stx32: Store(pc, ins, 4); break;
                case Uop.St64 or Uop.Stx64: Store(pc, ins, 8); break;
                case Uop.Atomic32:
                case Uop.Atomic64:
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Ldc_I4, ins.Imm);
                    il.Emit(OpCodes.Ldc_I4, ins.Op == Uop.Atomic32 ? 4 : 8);
                    Address(ins.D, ins.Off);
                    il.Emit(OpCodes.Ldloc, _r[ins.S]);
                    il.Emit(OpCodes.Ldloca, _r[0]);
                    il.Emit(OpCodes.Ldc_I4, pc);
                    il.Emit(OpCodes.Call, AtomicMethod);
                    if (ins.Imm == (int)AtomicOp.CmpXchg) il.Emit(OpCodes.Pop);
                    else il.Emit(OpCodes.Stloc, _r[ins.S]);
                    break;
                case Uop.LdAbs8 or Uop.LdAbs16 or Uop.LdAbs32 or Uop.LdInd8 or Uop.LdInd16 or Uop.LdInd32:
                {
                    bool ind = ins.Op >= Uop.LdInd8;
                    int size = ins.Op switch { Uop.LdAbs8 or Uop.LdInd8 => 1, Uop.LdAbs16 or Uop.LdInd16 => 2, _ => 4 };
                    il.Emit(OpCodes.Ldarg_1);
                    if (ind)
                    {
                        il.Emit(OpCodes.Ldloc, _r[ins.S]);
                        il.Emit(OpCodes.Conv_U4);
                        il.Emit(OpCodes.Ldc_I4, ins.Imm);
                        il.Emit(OpCodes.Add);
                        il.Emit(OpCodes.Conv_I8);
                    }
                    else il.Emit(OpCodes.Ldc_I8, (long)ins.Imm);
                    il.Emit(OpCodes.Ldc_I4, size);
                    il.Emit(OpCodes.Ldc_I4, pc);
                    il.Emit(OpCodes.Call, LegacyLoad);
                    il.Emit(OpCodes.Stloc, _r[0]);
                    break;
                }
                default:
                    il.Emit(OpCodes.Ldarg_0);
                    il.Emit(OpCodes.Ldc_I4, pc);
                    il.Emit(OpCodes.Call, InvalidMethod);
                    il.Emit(OpCodes.Throw);
                    return;
            }
        }

        /// <summary>Pushes reg + off (wrapping 64-bit).</summary>
        private void Address(int reg, short off)
        {
            _il.Emit(OpCodes.Ldloc, _r[reg]);
            if (off != 0)
            {
                _il.Emit(OpCodes.Ldc_I8, (long)off);
                _il.Emit(OpCodes.Add);
            }
        }

        /// <summary>
        /// The inline check: id = addr &gt;&gt; 32 below capacity, off = low32 ^ 2^31, off + size &lt;= the
        /// entry's read (or write) length; on success leaves the host pointer in _entryPtr.
        /// </summary>
        private void FastCheck(int size, bool write, Label slow)
        {
            var il = _il;
            il.Emit(OpCodes.Ldloc, _addr);
            il.Emit(OpCodes.Ldc_I4, 32);
            il.Emit(OpCodes.Shr_Un);
            il.Emit(OpCodes.Stloc, _id);
            il.Emit(OpCodes.Ldloc, _id);
            il.Emit(OpCodes.Ldc_I8, (long)_capacity);
            il.Emit(OpCodes.Bge_Un, slow);
            il.Emit(OpCodes.Ldarg_1); // the table pointer is read here, on the cold path, to keep it out of a register
            il.Emit(OpCodes.Ldfld, TableField);
            il.Emit(OpCodes.Ldloc, _id);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Ldc_I4, 4); // entries are 16 bytes
            il.Emit(OpCodes.Shl);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, _entryPtr);
            il.Emit(OpCodes.Ldloc, _addr);
            il.Emit(OpCodes.Conv_U4);
            il.Emit(OpCodes.Ldc_I4, unchecked((int)0x80000000));
            il.Emit(OpCodes.Xor);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Stloc, _off);
            il.Emit(OpCodes.Ldloc, _off);
            il.Emit(OpCodes.Ldc_I8, (long)size);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldloc, _entryPtr);
            il.Emit(OpCodes.Ldc_I4, write ? 12 : 8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldind_U4);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Bgt_Un, slow);
            // remember this region for the next accesses, if it is at least 8 bytes and as writable as
            // it is readable (see the cache's comment)
            var skip = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, _entryPtr);
            il.Emit(OpCodes.Ldc_I4, 8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldind_U4);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Stloc, _id); // reuse: the region's read length
            il.Emit(OpCodes.Ldloc, _id);
            il.Emit(OpCodes.Ldc_I8, 8L);
            il.Emit(OpCodes.Blt_Un, skip);
            il.Emit(OpCodes.Ldloc, _id);
            il.Emit(OpCodes.Ldloc, _entryPtr);
            il.Emit(OpCodes.Ldc_I4, 12);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldind_U4);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Bne_Un, skip);
            il.Emit(OpCodes.Ldloc, _id);
            il.Emit(OpCodes.Ldc_I8, 8L);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Stloc, _cLim);
            il.Emit(OpCodes.Ldloc, _addr);
            il.Emit(OpCodes.Ldc_I8, unchecked((long)0xffff_ffff_0000_0000UL));
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Ldc_I8, 0x8000_0000L);
            il.Emit(OpCodes.Or);
            il.Emit(OpCodes.Stloc, _cBase);
            il.Emit(OpCodes.Ldloc, _entryPtr);
            il.Emit(OpCodes.Ldind_I);
            il.Emit(OpCodes.Stloc, _cData);
            il.MarkLabel(skip);
            il.Emit(OpCodes.Ldloc, _entryPtr);
            il.Emit(OpCodes.Ldind_I);
            il.Emit(OpCodes.Ldloc, _off);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, _entryPtr);
        }

        /// <summary>The cache back to the stack region (never moved or removed while the machine lives).</summary>
        private void ForgetHotRegion()
        {
            var stack = _jit.Program.Machine.Stack;
            _il.Emit(OpCodes.Ldc_I8, (long)stack.Address);
            _il.Emit(OpCodes.Stloc, _cBase);
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldfld, StackDataField);
            _il.Emit(OpCodes.Stloc, _cData);
            _il.Emit(OpCodes.Ldc_I8, (long)stack.Length - 8);
            _il.Emit(OpCodes.Stloc, _cLim);
        }

        /// <summary>
        /// The cache check, one compare: off = addr - base; off &lt;= (length - 8) + (8 - size). On success
        /// _entryPtr is the host pointer and control falls through to the access; otherwise it jumps to
        /// <paramref name="miss"/>, the out-of-line table check.
        /// </summary>
        private void HotCheck(int size, Label miss)
        {
            var il = _il;
            il.Emit(OpCodes.Ldloc, _addr);
            il.Emit(OpCodes.Ldloc, _cBase);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Stloc, _off);
            il.Emit(OpCodes.Ldloc, _off);
            il.Emit(OpCodes.Ldloc, _cLim);
            if (size < 8)
            {
                il.Emit(OpCodes.Ldc_I8, 8L - size);
                il.Emit(OpCodes.Add);
            }
            il.Emit(OpCodes.Bgt_Un, miss);
            il.Emit(OpCodes.Ldloc, _cData);
            il.Emit(OpCodes.Ldloc, _off);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, _entryPtr);
        }

        private void Load(int pc, in DecodedInsn ins, int size, bool signExtend)
        {
            var il = _il;
            var miss = il.DefineLabel();
            var access = il.DefineLabel();
            var done = il.DefineLabel();
            var dst = _r[ins.D];
            int dstIndex = ins.D;
            Address(ins.S, ins.Off);
            il.Emit(OpCodes.Stloc, _addr);
            HotCheck(size, miss);
            il.MarkLabel(access);
            il.Emit(OpCodes.Ldloc, _entryPtr);
            il.Emit(OpCodes.Unaligned, (byte)1);
            switch (size)
            {
                case 1: il.Emit(signExtend ? OpCodes.Ldind_I1 : OpCodes.Ldind_U1); break;
                case 2: il.Emit(signExtend ? OpCodes.Ldind_I2 : OpCodes.Ldind_U2); break;
                case 4: il.Emit(signExtend ? OpCodes.Ldind_I4 : OpCodes.Ldind_U4); break;
                default: il.Emit(OpCodes.Ldind_I8); break;
            }
            if (size < 8) il.Emit(signExtend ? OpCodes.Conv_I8 : OpCodes.Conv_U8);
            il.Emit(OpCodes.Stloc, dst);
            il.MarkLabel(done);
            _coldPaths.Add(() =>
            {
                var slow = il.DefineLabel();
                il.MarkLabel(miss);
                FastCheck(size, false, slow);
                il.Emit(OpCodes.Br, access);
                il.MarkLabel(slow);
                ushort parked = (ushort)(_liveness.LiveAfter(pc) & ~(1 << dstIndex));
                Park(parked);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldloc, _addr);
                il.Emit(OpCodes.Ldc_I4, size);
                il.Emit(OpCodes.Ldc_I4, pc);
                il.Emit(OpCodes.Call, SlowLoad);
                if (signExtend)
                {
                    il.Emit(size == 1 ? OpCodes.Conv_I1 : size == 2 ? OpCodes.Conv_I2 : OpCodes.Conv_I4);
                    il.Emit(OpCodes.Conv_I8);
                }
                il.Emit(OpCodes.Stloc, dst);
                Unpark(parked);
                il.Emit(OpCodes.Br, done);
            });
        }

        /// <summary>
        /// Before a cold path's call: the budget back to the machine, the live eBPF registers to the
        /// machine's parking array. With <see cref="Unpark"/> after the call, no local is live across
        /// it (see <see cref="RegisterLiveness"/>), and the hot path keeps its registers.
        /// </summary>
        private void Park(ushort registers)
        {
            StoreBudget();
            for (int i = 0; i < DecodedProgram.RegisterCount; i++)
            {
                if ((registers & (1 << i)) == 0) continue;
                _il.Emit(OpCodes.Ldarg_1);
                _il.Emit(OpCodes.Ldfld, ParkingField);
                _il.Emit(OpCodes.Ldc_I4, i);
                _il.Emit(OpCodes.Ldloc, _r[i]);
                _il.Emit(OpCodes.Stelem_I8);
            }
        }

        /// <summary>After a cold path's call: registers, budget and the region cache come back from memory.</summary>
        private void Unpark(ushort registers)
        {
            for (int i = 0; i < DecodedProgram.RegisterCount; i++)
            {
                if ((registers & (1 << i)) == 0) continue;
                _il.Emit(OpCodes.Ldarg_1);
                _il.Emit(OpCodes.Ldfld, ParkingField);
                _il.Emit(OpCodes.Ldc_I4, i);
                _il.Emit(OpCodes.Ldelem_I8);
                _il.Emit(OpCodes.Stloc, _r[i]);
            }
            LoadBudget();
            ForgetHotRegion();
        }

        private void StoreValue(in DecodedInsn ins)
        {
            if (ins.S < DecodedProgram.RegisterCount) _il.Emit(OpCodes.Ldloc, _r[ins.S]);
            else _il.Emit(OpCodes.Ldc_I8, (long)_dp.Constants[ins.S - DecodedProgram.RegisterCount]);
        }

        private void Store(int pc, in DecodedInsn ins, int size)
        {
            var il = _il;
            var miss = il.DefineLabel();
            var access = il.DefineLabel();
            var done = il.DefineLabel();
            var insCopy = ins;
            Address(ins.D, ins.Off);
            il.Emit(OpCodes.Stloc, _addr);
            HotCheck(size, miss);
            il.MarkLabel(access);
            il.Emit(OpCodes.Ldloc, _entryPtr);
            StoreValue(ins);
            // The unaligned. prefix must sit right before the stind, so narrow first.
            if (size == 1) il.Emit(OpCodes.Conv_U1);
            else if (size == 2) il.Emit(OpCodes.Conv_U2);
            else if (size == 4) il.Emit(OpCodes.Conv_U4);
            il.Emit(OpCodes.Unaligned, (byte)1);
            il.Emit(size switch { 1 => OpCodes.Stind_I1, 2 => OpCodes.Stind_I2, 4 => OpCodes.Stind_I4, _ => OpCodes.Stind_I8 });
            il.MarkLabel(done);
            _coldPaths.Add(() =>
            {
                var slow = il.DefineLabel();
                il.MarkLabel(miss);
                FastCheck(size, true, slow);
                il.Emit(OpCodes.Br, access);
                il.MarkLabel(slow);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldloc, _addr);
                il.Emit(OpCodes.Ldc_I4, size);
                StoreValue(insCopy);
                il.Emit(OpCodes.Stloc, _tmp);
                ushort parked = _liveness.LiveAfter(pc);
                Park(parked);
                il.Emit(OpCodes.Ldloc, _tmp);
                il.Emit(OpCodes.Ldc_I4, pc);
                il.Emit(OpCodes.Call, SlowStore);
                Unpark(parked);
                il.Emit(OpCodes.Br, done);
            });
        }
    }
}
