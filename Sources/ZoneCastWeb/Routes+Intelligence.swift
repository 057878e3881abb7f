import Foundation
import Hummingbird

func addIntelligenceRoutes(to router: Router<BasicRequestContext>, env: WebEnvironment) {
}
