using System.Collections.Generic;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

/// <summary>
/// Abstract interpretation by depth-first path exploration (the kernel's do_check): one state per path,
/// forks at undecided conditional jumps, state pruning at jump targets against fully explored states,
/// infinite-loop detection against states still being explored, and a processed-instruction limit.
/// </summary>
internal sealed partial class PathExplorer
{
    /// <summary>Frames a call chain may have (MAX_CALL_FRAMES).</summary>
    public const int MaxCallFrames = 8;
    /// <summary>Stored states per instruction; beyond it new states are still explored, just not stored.</summary>
    private const int MaxStatesPerInsn = 64;

    private sealed class Checkpoint
    {
        public Checkpoint(VerifierState state, Checkpoint? parent) { State = state; Parent = parent; }
        public VerifierState State { get; }
        public Checkpoint? Parent { get; }
        /// <summary>Paths still being explored below this checkpoint; 0 = fully explored and safe.</summary>
        public int Branches = 1;
    }

    private sealed class PendingPath
    {
        public PendingPath(VerifierState state, int insn, Checkpoint? checkpoint) { State = state; Insn = insn; Checkpoint = checkpoint; }
        public VerifierState State { get; }
        public int Insn { get; }
        public Checkpoint? Checkpoint { get; }
    }

    private readonly IReadOnlyList<Instruction> _prog;
    private readonly VerifierProgramSpec _spec;
    private readonly ProgramStructure _structure;
    private readonly ContextLayout _ctx;
    private readonly Dictionary<int, List<Checkpoint>> _visited = new();
    private readonly Stack<PendingPath> _pending = new();
    private int _nextId = 1;
    private VerifierState _state = new();
    private int _insn;
    private Checkpoint? _currentCheckpoint;

    public PathExplorer(IReadOnlyList<Instruction> prog, VerifierProgramSpec spec, ProgramStructure structure)
    {
        _prog = prog;
        _spec = spec;
        _structure = structure;
        _ctx = spec.EffectiveContext;
        StackDepth = new int[structure.SubprogramStarts.Count];
    }

    public int Processed { get; private set; }
    public int PeakStatesPerInsn { get; private set; }
    public int TotalStates { get; private set; }
    /// <summary>Deepest stack byte touched per subprogram (index as in SubprogramStarts).</summary>
    public int[] StackDepth { get; }
    /// <summary>Observed call chains' combined stack, the largest one.</summary>
    public int MaxCombinedStack { get; private set; }

    public void Run()
    {
        var init = new VerifierState();
        var frame = new FrameState(0, -1, 0);
        frame.Regs[1] = RegState.Pointer(RegType.PtrToCtx);
        frame.Regs[10] = RegState.Pointer(RegType.PtrToStack);
        init.Frames.Add(frame);
        Explore(init, 0);
        VerifyCalledGlobalFunctions();
        if (Globals.Count > 0) CheckCallGraphStack();
    }

    /// <summary>Explores every path from <paramref name="start"/> in <paramref name="init"/> (one do_check_common).</summary>
    private void Explore(VerifierState init, int start)
    {
        _visited.Clear();
        _pending.Push(new PendingPath(init, start, null));

        while (_pending.Count > 0)
        {
            var path = _pending.Pop();
            _state = path.State;
            _insn = path.Insn;
            var checkpoint = path.Checkpoint;
            while (true)
            {
                if (++Processed > _spec.MaxProcessedInstructions)
                    Fail(VerifierErrorCodes.TooComplex,
                        $"BPF program is too large. Processed {Processed} insn (limit {_spec.MaxProcessedInstructions}): " +
                        "the paths through the program are too many or a loop is not bounded; simplify the control flow or bound the loop");
                if (_structure.PrunePoints.Contains(_insn))
                {
                    if (IsStateVisited(ref checkpoint)) break;
                }
                _currentCheckpoint = checkpoint;
                int next = Step(checkpoint);
                if (next < 0) break;
                _insn = next;
            }
            Release(checkpoint);
        }
    }

    /// <summary>True when the current state is covered by a safe state here (prune); else records it.</summary>
    private bool IsStateVisited(ref Checkpoint? checkpoint)
    {
        if (!_visited.TryGetValue(_insn, out var list))
            _visited[_insn] = list = new List<Checkpoint>();
        foreach (var cp in list)
        {
            if (cp.Branches > 0)
            {
                if (StateComparer.Covers(cp.State, _state, exact: true))
                    Fail(VerifierErrorCodes.UnboundedLoop,
                        $"infinite loop detected at insn {_insn}: the loop comes back to the same state, so it never ends; " +
                        "make the loop condition depend on a counter that changes every iteration and has a bound");
                continue;
            }
            if (StateComparer.Covers(cp.State, _state, exact: false)) return true;
        }
        if (list.Count >= MaxStatesPerInsn) return false;
        var created = new Checkpoint(_state.Clone(), checkpoint);
        list.Add(created);
        TotalStates++;
        if (list.Count > PeakStatesPerInsn) PeakStatesPerInsn = list.Count;
        checkpoint = created;
        return false;
    }

    private static void Release(Checkpoint? cp)
    {
        while (cp != null)
        {
            if (--cp.Branches > 0) return;
            cp = cp.Parent;
        }
    }

    /// <summary>Queues the other side of a branch.</summary>
    private void Fork(VerifierState state, int insn, Checkpoint? checkpoint)
    {
        if (checkpoint != null) checkpoint.Branches++;
        _pending.Push(new PendingPath(state, insn, checkpoint));
    }

    private FrameState Frame => _state.Current;
    private RegState[] Regs => _state.Current.Regs;
    private int NewId() => _nextId++;

    private void Fail(string code, string message) => FailAt(_insn, code, message);

    private static void FailAt(int insn, string code, string message) => throw new VerificationFailure(new VerifierError(insn, code, message));

    private RegState ReadReg(int r)
    {
        var reg = Regs[r];
        if (reg.Type == RegType.NotInit)
            Fail(VerifierErrorCodes.UninitRegister,
                $"R{r} !read_ok: r{r} is read before anything was written to it" +
                (r >= 1 && r <= 5 ? " (calls clobber r1-r5: reload it after the call)" : "") + "; initialise it first");
        return reg;
    }

    private RegState WriteReg(int r)
    {
        if (r == 10) Fail(VerifierErrorCodes.FramePointerWrite, "frame pointer is read only: r10 cannot be written; copy it to another register first");
        return Regs[r];
    }

    /// <summary>Executes one instruction on the current state; returns the next instruction or -1 when the path ends.</summary>
    private int Step(Checkpoint? checkpoint)
    {
        var insn = _prog[_insn];
        switch (insn.Class)
        {
            case InstructionClass.Alu:
            case InstructionClass.Alu64:
                DoAlu(insn);
                return _insn + 1;
            case InstructionClass.Ld:
                if (insn.IsWideLoad) { DoLoadImm64(insn, _prog[_insn + 1].Imm); return _insn + 2; }
                DoLegacyPacketLoad(insn);
                return _insn + 1;
            case InstructionClass.Ldx:
                DoLoad(insn);
                return _insn + 1;
            case InstructionClass.St:
            case InstructionClass.Stx:
                if (insn.Mode == MemMode.Atomic) DoAtomic(insn);
                else DoStore(insn);
                return _insn + 1;
            default:
                return DoJump(insn, checkpoint);
        }
    }
}
