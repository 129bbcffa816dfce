//! The demo workspace's simulated Microsoft 365 as the app sees it: the misbehaviours a user can
//! switch on (G2). The commands talk to this, never to the simulator itself, so that nothing
//! outside the demo depends on the simulator.

use crate::simulator::Simulator;
pub use crate::simulator::{SimSwitch, SimSwitchState};

/// Keeps the demo workspace's simulator running for as long as the app runs.
pub struct DemoSimulator(Simulator);

impl DemoSimulator {
    pub fn new(sim: Simulator) -> Self {
        DemoSimulator(sim)
    }

    /// Each switch and whether it is on.
    pub fn switches(&self) -> Vec<SimSwitchState> {
        self.0.state.switches()
    }

    /// Switches one misbehaviour on or off; returns every switch as it is now.
    pub fn set_switch(&self, switch: SimSwitch, on: bool) -> Vec<SimSwitchState> {
        self.0.state.set_switch(switch, on);
        self.0.state.switches()
    }
}
